package explore

import (
	"context"
	"math"
	"sync"
	"sync/atomic"

	"github.com/orrery-sim/orrery/internal/assert"
)

// The BFS is level-synchronous and deterministic for any number of workers. Each
// level runs three parallel phases:
//
//	A (per chunk of parents): expand, and keep the successors as candidates in
//	  (parent index, action index) order, dropping self-loops and repeats
//	  within the chunk (and, in full-state mode, states of earlier levels); the
//	  visited set is only read.
//	B (per shard of the visited set): walk the candidates of that shard in
//	  chunk order and insert them; the first insertion of a state is its
//	  smallest (parent, action), so the discoverer does not depend on timing,
//	  and a candidate stored by an earlier level is rejected here.
//	C (per chunk): copy the accepted candidates into the next level at offsets
//	  from a prefix sum, record their parent links and evaluate properties.
//
// The next level is thus in canonical order, the same as a sequential BFS's,
// and the first violating state in that order is the reported counterexample.
const (
	chunkParentsMin = 64
	chunkParentsMax = 1024
	chunksPerWorker = 8
	// recentSlots sizes the per-worker filter that drops a successor already
	// offered by the same chunk (siblings share many successors) before it costs
	// a candidate record and an insertion.
	recentSlotsLog = 12
	recentSlots    = 1 << recentSlotsLog
)

type candidate[S any] struct {
	state  S
	parent uint32
	action uint32
}

// shardEntry points phase B at a candidate without touching the candidate.
type shardEntry struct {
	fp    uint64
	index uint32
}

type chunk[S any] struct {
	lo, hi int
	cands  []candidate[S]
	// With reduction: each candidate's sleep set, a range of sleepBuf that
	// shrinks in place when a duplicate of the state merges into it.
	sleepBuf  []Move
	sleepRefs []sleepRef
	accepted  []bool
	byShard   [shardCount][]shardEntry
	keys      []byte
	keyEnds   []uint32 // full-state mode: end of each candidate's key in keys
	generated int64
	deadlock  int
	maxAction uint32
	kept      int
	offset    int
	events    []int
	stopped   bool
	live      *chunkLive // nil unless the search checks liveness
}

func (ch *chunk[S]) reset(lo, hi, properties int) {
	ch.lo, ch.hi = lo, hi
	clear(ch.cands) // drop references held by old states
	ch.cands = ch.cands[:0]
	for i := range ch.byShard {
		ch.byShard[i] = ch.byShard[i][:0]
	}
	ch.accepted = ch.accepted[:0]
	ch.sleepBuf, ch.sleepRefs = ch.sleepBuf[:0], ch.sleepRefs[:0]
	ch.keys, ch.keyEnds = ch.keys[:0], ch.keyEnds[:0]
	ch.generated, ch.deadlock, ch.maxAction = 0, -1, 0
	ch.kept, ch.offset, ch.stopped = 0, 0, false
	ch.events = ch.events[:0]
	ch.live.reset()
	for range properties {
		ch.events = append(ch.events, -1)
	}
}

// levelLinks are the parent links of one level: the index of each state's
// parent in the previous level (for level 0, its index in InitStates) and the
// index of the action among the parent's enabled actions, stored in the
// narrowest width the level needs.
type levelLinks struct {
	parent []uint32
	act8   []uint8
	act16  []uint16
	act32  []uint32
}

func newLevelLinks(n int, maxAction uint32) levelLinks {
	l := levelLinks{parent: make([]uint32, n)}
	switch {
	case maxAction <= math.MaxUint8:
		l.act8 = make([]uint8, n)
	case maxAction <= math.MaxUint16:
		l.act16 = make([]uint16, n)
	default:
		l.act32 = make([]uint32, n)
	}
	return l
}

func (l *levelLinks) setAction(i int, a uint32) {
	switch {
	case l.act8 != nil:
		l.act8[i] = uint8(a)
	case l.act16 != nil:
		l.act16[i] = uint16(a)
	default:
		l.act32[i] = a
	}
}

func (l *levelLinks) action(i int) int {
	switch {
	case l.act8 != nil:
		return int(l.act8[i])
	case l.act16 != nil:
		return int(l.act16[i])
	}
	return int(l.act32[i])
}

func (l *levelLinks) bytes() int64 {
	return int64(len(l.parent))*4 + int64(len(l.act8)) + int64(len(l.act16))*2 + int64(len(l.act32))*4
}

type sleepRef struct{ start, n uint32 }

func (ch *chunk[S]) sleep(i uint32) sleepSet {
	r := ch.sleepRefs[i]
	return ch.sleepBuf[r.start : r.start+r.n]
}

// mergeSleep intersects candidate i's sleep set with z: the state is reached
// along both paths at this level.
func (ch *chunk[S]) mergeSleep(i uint32, z sleepSet) {
	ch.sleepRefs[i].n = uint32(len(ch.sleep(i).intersect(z)))
}

// bfs is the state of one breadth-first search.
type bfs[S, A any] struct {
	*checker[S, A]
	inits   []S
	links   []levelLinks
	chunks  []*chunk[S]
	scratch []bfsScratch[A]
	// With reduction: the sleep sets of the frontier's states, and per
	// shard the candidates stored at the current level by fingerprint, so
	// that a later duplicate at the same level merges its sleep set.
	sleeps   []sleepSet
	levelFPs [shardCount]map[uint64]candidateRef
	// With liveness: per Eventually property, whether it holds in each
	// state of the level being placed.
	levelHolds [][]bool
}

type candidateRef struct{ chunk, index uint32 }

type bfsScratch[A any] struct {
	actions []A
	// recent is a direct-mapped set of fingerprints offered by the current
	// chunk (fingerprint mode only); used lists the slots to clear.
	recent   []uint64
	used     []uint32
	parentFP uint64
	// recentIndex is the candidate index of each recent fingerprint;
	// expansion is the sleep-set bookkeeping of the parent being expanded.
	recentIndex []uint32
	expansion   expansion
}

// seen reports whether fp was offered before by this chunk, and remembers it.
// A miss may forget an older fingerprint; that only costs a duplicate
// candidate, which phase B drops.
func (s *bfsScratch[A]) seen(fp uint64, index uint32) (uint32, bool) {
	slot := uint32(fp) & (recentSlots - 1)
	if s.recent[slot] == fp {
		return s.recentIndex[slot], true
	}
	if s.recent[slot] == 0 {
		s.used = append(s.used, slot)
	}
	s.recent[slot], s.recentIndex[slot] = fp, index
	return 0, false
}

func (s *bfsScratch[A]) forget() {
	for _, slot := range s.used {
		s.recent[slot] = 0
	}
	s.used = s.used[:0]
}

func (c *checker[S, A]) runBFS(ctx context.Context) {
	b := &bfs[S, A]{checker: c, inits: c.model.InitStates(), scratch: make([]bfsScratch[A], c.workers)}
	c.lasso = b.findLassos
	frontier := b.storeInitial()
	if c.reducer != nil {
		b.sleeps = make([]sleepSet, len(frontier))
		for i := range b.levelFPs {
			b.levelFPs[i] = map[uint64]candidateRef{}
		}
	}
	for len(frontier) > 0 && c.status == "" {
		if c.options.DepthMax > 0 && c.depth >= c.options.DepthMax {
			c.stopForLimit("depth")
			return
		}
		frontier = b.expandLevel(ctx, frontier)
	}
}

// storeInitial stores the distinct initial representatives as level 0.
func (b *bfs[S, A]) storeInitial() []S {
	c := b.checker
	c.generated = int64(len(b.inits))
	var frontier []S
	var parents []uint32
	for i, s := range b.inits {
		r := c.canon(s)
		fp, key := c.identify(r, nil)
		if !c.visited.insert(fp, key) {
			continue
		}
		if c.options.StatesMax > 0 && int64(len(frontier)) >= c.options.StatesMax {
			c.stopForLimit("states")
			break
		}
		frontier = append(frontier, r)
		parents = append(parents, uint32(i))
	}
	links := newLevelLinks(len(frontier), 0)
	copy(links.parent, parents)
	b.addLevel(links, frontier)
	b.storeInitialLive(frontier)
	for i := range c.props {
		for j, s := range frontier {
			if c.pending(i) && c.event(i, s) {
				c.record(i, b.path(0, j))
			}
		}
	}
	return frontier
}

func (b *bfs[S, A]) addLevel(links levelLinks, frontier []S) {
	c := b.checker
	b.links = append(b.links, links)
	c.linkBytes += links.bytes()
	c.states += int64(len(frontier))
	if len(frontier) > 0 {
		c.depth = len(b.links)
	}
	c.progressStates.Store(c.states)
	c.progressDepth.Store(int64(c.depth))
	c.memory.sample() // the new level and the previous one are both live here
}

// expandLevel runs phases A, B and C on frontier and returns the next level.
func (b *bfs[S, A]) expandLevel(ctx context.Context, frontier []S) []S {
	c := b.checker
	b.makeChunks(len(frontier))
	parallelFor(c.workers, len(b.chunks), func(w, i int) { b.expandChunk(ctx, w, b.chunks[i], frontier) })
	deadlock, maxAction := -1, uint32(0)
	for _, ch := range b.chunks {
		c.generated += ch.generated
		if ch.stopped {
			c.stopForLimit(c.interruption())
		}
		if deadlock < 0 {
			deadlock = ch.deadlock
		}
		maxAction = max(maxAction, ch.maxAction)
	}
	if c.status != "" {
		return nil
	}
	if deadlock >= 0 {
		c.record(-1, b.path(len(b.links)-1, deadlock))
		return nil
	}
	parallelFor(c.workers, shardCount, b.insertShard)
	if c.timedOut(ctx) {
		c.stopForLimit(c.interruption()) // the level is dropped unchecked
		return nil
	}
	total := b.placeAccepted()
	next := make([]S, total)
	links := newLevelLinks(total, maxAction)
	var sleeps []sleepSet
	if c.reducer != nil {
		sleeps = make([]sleepSet, total)
	}
	b.startLiveLevel(total)
	parallelFor(c.workers, len(b.chunks), func(_, i int) { b.copyChunk(ctx, b.chunks[i], next, &links, sleeps) })
	for _, ch := range b.chunks {
		if ch.stopped {
			// Some states of the level went unchecked: drop it, so that
			// the result counts only states the properties judged.
			c.stopForLimit(c.interruption())
			return nil
		}
	}
	b.sleeps = sleeps
	b.addLevel(links, next)
	b.linkLevel(total)
	b.recordEvents()
	return next
}

func (b *bfs[S, A]) makeChunks(parents int) {
	size := min(max(parents/(b.workers*chunksPerWorker), chunkParentsMin), chunkParentsMax)
	n := (parents + size - 1) / size
	for len(b.chunks) < n {
		ch := &chunk[S]{}
		if b.live != nil {
			ch.live = &chunkLive{}
		}
		b.chunks = append(b.chunks, ch)
	}
	for i := n; i < len(b.chunks); i++ {
		b.chunks[i].reset(0, 0, 0) // release states of a larger earlier level
	}
	b.chunks = b.chunks[:n]
	for i, ch := range b.chunks {
		ch.reset(i*size, min((i+1)*size, parents), len(b.props))
	}
}

// expandChunk is phase A for one chunk.
func (b *bfs[S, A]) expandChunk(ctx context.Context, worker int, ch *chunk[S], frontier []S) {
	c := b.checker
	if c.interrupted(ctx) {
		ch.stopped = true
		return
	}
	scratch := &b.scratch[worker]
	filter := c.encode == nil
	if filter && scratch.recent == nil {
		scratch.recent = make([]uint64, recentSlots)
		scratch.recentIndex = make([]uint32, recentSlots)
	}
	defer scratch.forget()
	for p := ch.lo; p < ch.hi; p++ {
		if c.timedOut(ctx) {
			ch.stopped = true
			return
		}
		s := frontier[p]
		if !c.expandable(s) {
			ch.live.parent(false)
			continue
		}
		if ch.live != nil {
			ch.live.parent(c.visible(s))
		}
		// A self-loop leads back to s, which is stored: it costs no probe.
		scratch.parentFP = 0
		if filter {
			scratch.parentFP, _ = c.identify(s, nil)
		}
		scratch.actions = c.model.Actions(s, scratch.actions[:0])
		var e *expansion
		if c.reducer != nil {
			e = &scratch.expansion
			e.sleep, e.done = b.sleeps[p], e.done[:0]
		}
		enabled := 0
		for i, a := range scratch.actions {
			var key uint64
			if e != nil {
				key = c.reducer.ind.ActionKey(a)
				if e.sleep.has(key) {
					enabled++ // asleep: enabled, and covered by another path
					continue
				}
			}
			next, ok := c.model.NextState(s, a)
			if !ok {
				continue
			}
			enabled++
			ch.generated++
			if e == nil {
				_, fp := b.offer(ch, scratch, filter, c.canon(next), p, i, 0)
				if ch.live != nil {
					ch.live.edge(fp, c.fairKey(a))
				}
				continue
			}
			taken := Move{Key: key, Info: c.reducer.ind.Taken(s, a, next)}
			start := len(ch.sleepBuf)
			ch.sleepBuf = c.reducer.childSleep(ch.sleepBuf, s, e, taken)
			if kept, _ := b.offer(ch, scratch, filter, next, p, i, start); !kept {
				ch.sleepBuf = ch.sleepBuf[:start]
			}
			if c.expandable(next) {
				e.done = append(e.done, taken)
			}
		}
		if ch.deadlock < 0 && c.deadlocked(s, enabled) {
			ch.deadlock = p
		}
	}
	c.progressGenerated.Add(ch.generated)
}

// offer keeps next as a candidate unless this chunk offered it already or an
// earlier level stored it, and reports whether it did, with next's
// fingerprint. With reduction, the candidate's sleep set is
// ch.sleepBuf[sleepStart:]; a repeat offer merges its sleep set into the
// first.
func (b *bfs[S, A]) offer(ch *chunk[S], scratch *bfsScratch[A], filter bool, next S, parent, action, sleepStart int) (bool, uint64) {
	keyStart := len(ch.keys)
	fp, keys := b.identify(next, ch.keys)
	if filter {
		// Fingerprint mode leaves the check against earlier levels to the
		// insertion in phase B: in most models nearly every successor that is
		// not a self-loop is new or a sibling's duplicate, so probing here too
		// would double the cache misses for little gain.
		if fp == scratch.parentFP {
			return false, fp
		}
		if first, ok := scratch.seen(fp, uint32(len(ch.cands))); ok {
			if b.reducer != nil {
				ch.mergeSleep(first, ch.sleepBuf[sleepStart:])
			}
			return false, fp
		}
	} else if b.visited.contains(fp, keys[keyStart:]) {
		return false, fp
	}
	if b.encode != nil {
		ch.keys = keys
		ch.keyEnds = append(ch.keyEnds, uint32(len(keys)))
	}
	if b.reducer != nil {
		ch.sleepRefs = append(ch.sleepRefs, sleepRef{start: uint32(sleepStart), n: uint32(len(ch.sleepBuf) - sleepStart)})
	}
	shard := shardOf(fp)
	ch.byShard[shard] = append(ch.byShard[shard], shardEntry{fp: fp, index: uint32(len(ch.cands))})
	ch.cands = append(ch.cands, candidate[S]{state: next, parent: uint32(parent), action: uint32(action)})
	ch.accepted = append(ch.accepted, false)
	ch.maxAction = max(ch.maxAction, uint32(action))
	return true, fp
}

// key returns the encoding of candidate i (full-state mode) or nil.
func (ch *chunk[S]) key(i uint32) []byte {
	if len(ch.keyEnds) == 0 {
		return nil
	}
	start := uint32(0)
	if i > 0 {
		start = ch.keyEnds[i-1]
	}
	return ch.keys[start:ch.keyEnds[i]]
}

// insertShard is phase B for one shard.
func (b *bfs[S, A]) insertShard(_, shard int) {
	var stored int64
	level := b.levelFPs[shard]
	clear(level)
	for k, ch := range b.chunks {
		for _, e := range ch.byShard[shard] {
			if b.visited.insert(e.fp, ch.key(e.index)) {
				ch.accepted[e.index] = true
				stored++
				if level != nil {
					level[e.fp] = candidateRef{chunk: uint32(k), index: e.index}
				}
				continue
			}
			// Stored before: at this level, the state is reached along
			// another shortest path too, and keeps what both let sleep.
			if ref, ok := level[e.fp]; ok {
				b.chunks[ref.chunk].mergeSleep(ref.index, ch.sleep(e.index))
			}
		}
	}
	b.progressStates.Add(stored)
}

// placeAccepted counts the accepted candidates per chunk, truncates them to the
// state limit in canonical order, and assigns each chunk its offset in the next
// level.
func (b *bfs[S, A]) placeAccepted() int {
	parallelFor(b.workers, len(b.chunks), func(_, i int) {
		ch := b.chunks[i]
		for _, ok := range ch.accepted {
			if ok {
				ch.kept++
			}
		}
	})
	allowed := int64(math.MaxInt64)
	if b.options.StatesMax > 0 {
		allowed = b.options.StatesMax - b.states
	}
	total := 0
	for _, ch := range b.chunks {
		ch.offset = total
		if int64(total+ch.kept) > allowed {
			ch.kept = int(allowed) - total
			b.stopForLimit("states")
		}
		total += ch.kept
	}
	assert.That(total <= math.MaxUint32, "explore: a BFS level holds more than 2^32 states")
	return total
}

// copyChunk is phase C for one chunk. It evaluates the properties on each
// new state, which may cost more than expanding it, so it polls the timeout
// per state and, stopped, leaves the rest of the chunk (ch.stopped).
func (b *bfs[S, A]) copyChunk(ctx context.Context, ch *chunk[S], next []S, links *levelLinks, sleeps []sleepSet) {
	at := ch.offset
	end := ch.offset + ch.kept
	ch.live.place(len(ch.cands))
	var flat []Move // this level's sleep sets of the chunk, in one allocation
	if sleeps != nil {
		n := 0
		for j, ok := range ch.accepted {
			if ok {
				n += int(ch.sleepRefs[j].n)
			}
		}
		flat = make([]Move, 0, n)
	}
	for j := range ch.cands {
		if at == end {
			break
		}
		if !ch.accepted[j] {
			continue
		}
		if b.timedOut(ctx) {
			ch.stopped = true
			return
		}
		cand := &ch.cands[j]
		next[at] = cand.state
		if sleeps != nil {
			start := len(flat)
			flat = append(flat, ch.sleep(uint32(j))...)
			sleeps[at] = flat[start:len(flat):len(flat)]
		}
		links.parent[at] = cand.parent
		links.setAction(at, cand.action)
		if ch.live != nil {
			ch.live.placed[j] = uint32(at)
			b.observe(at, cand.state)
		}
		for i := range b.props {
			if ch.events[i] < 0 && b.pending(i) && b.event(i, cand.state) {
				ch.events[i] = at
			}
		}
		at++
	}
}

// recordEvents reports, per property, the first event of the new level in
// canonical order.
func (b *bfs[S, A]) recordEvents() {
	level := len(b.links) - 1
	for i := range b.props {
		for _, ch := range b.chunks {
			if ch.events[i] >= 0 {
				b.record(i, b.path(level, ch.events[i]))
				break
			}
		}
	}
}

// path rebuilds the path to state index of level from the parent links,
// replaying actions forward from the initial state.
func (b *bfs[S, A]) path(level, index int) trail {
	initIndex, reps, actionIndexes := b.replay(level, index)
	return b.buildPath(b.inits, initIndex, reps, actionIndexes)
}

// replay returns the stored representatives on the path to state index of
// level, with the index of the initial state and of each action.
func (b *bfs[S, A]) replay(level, index int) (int, []S, []int) {
	indexes := make([]int, level+1)
	indexes[level] = index
	for k := level; k > 0; k-- {
		indexes[k-1] = int(b.links[k].parent[indexes[k]])
	}
	initIndex := int(b.links[0].parent[indexes[0]])
	reps := []S{b.canon(b.inits[initIndex])}
	actionIndexes := []int{-1}
	var actions []A
	for k := 1; k <= level; k++ {
		a := b.links[k].action(indexes[k])
		actions = b.model.Actions(reps[k-1], actions[:0])
		next, ok := b.model.NextState(reps[k-1], actions[a])
		assert.That(ok, "explore: replayed action not enabled; the model is not deterministic")
		reps = append(reps, b.canon(next))
		actionIndexes = append(actionIndexes, a)
	}
	return initIndex, reps, actionIndexes
}

// parallelFor runs body for every task in [0, tasks) on up to workers
// goroutines, handing tasks out in order; body learns its worker index so it can
// use per-worker scratch space.
func parallelFor(workers, tasks int, body func(worker, task int)) {
	if workers <= 1 || tasks <= 1 {
		for t := range tasks {
			body(0, t)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := range min(workers, tasks) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				t := int(next.Add(1) - 1)
				if t >= tasks {
					return
				}
				body(w, t)
			}
		}()
	}
	wg.Wait()
}
