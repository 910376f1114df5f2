package explore

import (
	"math"

	"github.com/orrery-sim/orrery/internal/assert"
)

// The BFS records the liveness graph (see lasso.go) level by level: phase A
// notes each parent's edges as target fingerprints with fair keys; once the
// next level is placed, its states join the index table and the edges are
// resolved to state indexes and appended in parent order, so the graph is
// in canonical order whatever the number of workers. Fair keys are interned
// to 4-byte ids in that same order.

// place readies the placement of n candidates, none placed yet.
func (l *chunkLive) place(n int) {
	if l == nil {
		return
	}
	l.placed = l.placed[:0]
	for range n {
		l.placed = append(l.placed, noTarget)
	}
}

// observe evaluates the Eventually properties on s, stored at index at of
// the level being placed.
func (b *bfs[S, A]) observe(at int, s S) {
	for k, i := range b.live.props {
		b.levelHolds[k][at] = b.props[i].Condition(s)
	}
}

func (b *bfs[S, A]) startLiveLevel(total int) {
	if b.live == nil {
		return
	}
	assert.That(b.states+int64(total) < math.MaxUint32, "explore: the liveness graph holds at most 2^32-1 states")
	b.levelHolds = b.levelHolds[:0]
	for range b.live.props {
		b.levelHolds = append(b.levelHolds, make([]bool, total))
	}
}

// storeInitialLive adds the initial states (level 0) to the graph.
func (b *bfs[S, A]) storeInitialLive(level []S) {
	g := b.live
	if g == nil {
		return
	}
	g.levelStart = append(g.levelStart, 0)
	for j, s := range level {
		fp, _ := b.identify(s, nil)
		g.index[shardOf(fp)].insert(fp, uint32(j))
		for k, i := range g.props {
			g.holds[k].add(b.props[i].Condition(s))
		}
	}
}

// linkLevel adds the level just placed (total states) to the graph and
// resolves the edges of its parents (the previous level, all of which
// phase A expanded).
func (b *bfs[S, A]) linkLevel(total int) {
	g := b.live
	if g == nil {
		return
	}
	start := b.states - int64(total)
	g.levelStart = append(g.levelStart, start)
	for k := range g.props {
		for _, h := range b.levelHolds[k] {
			g.holds[k].add(h)
		}
	}
	b.levelHolds = b.levelHolds[:0]
	parallelFor(b.workers, shardCount, func(_, shard int) {
		for _, ch := range b.chunks {
			for _, e := range ch.byShard[shard] {
				if at := ch.live.placed[e.index]; at != noTarget {
					g.index[shard].insert(e.fp, uint32(start)+at)
				}
			}
		}
	})
	parallelFor(b.workers, len(b.chunks), func(_, i int) {
		l := b.chunks[i].live
		l.targets = l.targets[:0]
		for _, fp := range l.fps {
			l.targets = append(l.targets, g.index[shardOf(fp)].lookup(fp))
		}
	})
	for _, ch := range b.chunks {
		l := ch.live
		e := 0
		for p, n := range l.count {
			g.usable.add(l.usable[p])
			g.targets = append(g.targets, l.targets[e:e+int(n)]...)
			for _, key := range l.keys[e : e+int(n)] {
				g.keys = append(g.keys, g.intern(key))
			}
			e += int(n)
			g.edgeEnd = append(g.edgeEnd, uint64(len(g.targets)))
		}
	}
	assert.That(int64(len(g.edgeEnd)) == start, "explore: liveness graph out of step with the levels")
}
