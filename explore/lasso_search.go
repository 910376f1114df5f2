package explore

import (
	"context"
	"slices"
	"sort"

	"github.com/orrery-sim/orrery/internal/assert"
)

// lasso is a liveness counterexample in the graph: the state the cycle
// starts from and the cycle's edges (global edge indexes), from entry back
// to entry; no edges for a run that stays in entry.
type lasso struct {
	entry uint32
	cycle []edgeRef
}

type edgeRef struct {
	from uint32
	edge uint64
}

// findLassos judges each Eventually property on the stored graph and
// reports the first violated one as the counterexample. The timeout and
// the memory bound stop it as they stop the search.
func (b *bfs[S, A]) findLassos(ctx context.Context) {
	g := b.live
	b.liveComplete = b.status == ""
	stop := func() bool { return b.interrupted(ctx) }
	for k, i := range g.props {
		l, found, stopped := g.find(k, stop)
		if stopped {
			b.stopForLimit(b.interruption())
			return
		}
		if !found {
			continue
		}
		t := b.lassoPath(l)
		o := &b.outcomes[i]
		o.Verdict, o.Path = VerdictViolated, t.steps
		b.status = StatusViolated
		if b.failure == nil {
			b.failure = &Counterexample{Property: o.Name, Steps: t.steps, Choices: t.choices, LoopAt: len(t.steps) - len(l.cycle)}
		}
	}
	b.liveDone = true
}

// find returns the lasso of property k with the smallest entry state (the
// shallowest: states are numbered in BFS order), if there is one; stopped
// when stop said so first.
func (g *liveGraph) find(k int, stop func() bool) (l lasso, found, stopped bool) {
	in := func(v uint32) bool { return g.usable.has(v) && !g.holds[k].has(v) }
	best, found := lasso{}, false
	for v := range uint32(g.states()) {
		if in(v) && !g.anyFair(v) {
			best, found = lasso{entry: v}, true
			break
		}
	}
	t := newTarjan(g, in, stop)
	var bestID uint32
	t.run(func(members []uint32, id uint32) {
		entry := slices.Min(members)
		if (found && entry >= best.entry) || !g.fairSCC(members, id, t.comp) {
			return
		}
		best, bestID, found = lasso{entry: entry}, id, true
	})
	if t.stopped {
		return lasso{}, false, true
	}
	if found && bestID != 0 {
		best.cycle = g.fairCycle(best.entry, bestID, t.comp)
	}
	return best, found, false
}

// enabled appends to keys the fair keys enabled in v, sorted and distinct.
func (g *liveGraph) enabled(v uint32, keys []uint32) []uint32 {
	lo, hi := g.edges(v)
	return sortedUnique(append(keys, g.keys[lo:hi]...))
}

// fairSCC reports whether the component id (members) holds a fair cycle:
// it has a cycle (more than one state, or a self-loop) and every key
// enabled in all its states is taken by an edge inside it.
func (g *liveGraph) fairSCC(members []uint32, id uint32, comp []uint32) bool {
	if len(members) == 1 {
		return g.fairSelfLoops(members[0]) // most components; no maps for them
	}
	counts := map[uint32]int{}
	taken := map[uint32]bool{}
	var keys []uint32
	for _, v := range members {
		keys = g.enabled(v, keys[:0])
		for _, key := range keys {
			counts[key]++
		}
		lo, hi := g.edges(v)
		for e := lo; e < hi; e++ {
			if inComponent(comp, g.targets[e], id) {
				taken[g.keys[e]] = true
			}
		}
	}
	for key, n := range counts { // lint:ordered the answer does not depend on the order
		if n == len(members) && !taken[key] {
			return false
		}
	}
	return true
}

// anyFair reports whether some fair action is enabled in v.
func (g *liveGraph) anyFair(v uint32) bool {
	lo, hi := g.edges(v)
	return slices.ContainsFunc(g.keys[lo:hi], func(k uint32) bool { return k != 0 })
}

// fairSelfLoops reports whether v's self-loops form a fair cycle: there is
// one, and every fair key enabled in v is taken by one.
func (g *liveGraph) fairSelfLoops(v uint32) bool {
	lo, hi := g.edges(v)
	loops := false
	for e := lo; e < hi; e++ {
		loops = loops || g.targets[e] == v
		if g.keys[e] == 0 {
			continue
		}
		taken := false
		for f := lo; f < hi && !taken; f++ {
			taken = g.targets[f] == v && g.keys[f] == g.keys[e]
		}
		if !taken {
			return false
		}
	}
	return loops
}

func inComponent(comp []uint32, v, id uint32) bool {
	return int(v) < len(comp) && comp[v] == id
}

// fairCycle builds a fair cycle through entry inside component id: loops
// from entry that take every key enabled in all the component's states,
// then, while some key is enabled in every state of the cycle and taken by
// none of its edges, a loop through a state of the component where that
// key is disabled (one exists, or the key would be enabled everywhere and
// taken).
func (g *liveGraph) fairCycle(entry, id uint32, comp []uint32) []edgeRef {
	var members []uint32
	for v := range uint32(len(comp)) {
		if comp[v] == id {
			members = append(members, v)
		}
	}
	var cycle []edgeRef
	for _, key := range g.everywhere(members) {
		if !slices.ContainsFunc(cycle, func(r edgeRef) bool { return g.keys[r.edge] == key }) {
			cycle = append(cycle, g.loopThroughEdge(entry, g.firstEdge(members, key, id, comp), id, comp)...)
		}
	}
	if len(cycle) == 0 {
		lo, hi := g.edges(entry)
		e := lo + uint64(slices.IndexFunc(g.targets[lo:hi], func(w uint32) bool { return inComponent(comp, w, id) }))
		cycle = g.loopThroughEdge(entry, edgeRef{from: entry, edge: e}, id, comp)
	}
	for {
		key, unfair := g.unfairKey(entry, cycle)
		if !unfair {
			return cycle
		}
		i := slices.IndexFunc(members, func(v uint32) bool {
			_, on := slices.BinarySearch(g.enabled(v, nil), key)
			return !on
		})
		assert.That(i >= 0, "explore: a key enabled in every state of a fair component")
		cycle = append(cycle, g.route(entry, members[i], id, comp)...)
		cycle = append(cycle, g.route(members[i], entry, id, comp)...)
	}
}

// everywhere lists, sorted, the keys enabled in every state of members.
func (g *liveGraph) everywhere(members []uint32) []uint32 {
	common := g.enabled(members[0], nil)
	var keys []uint32
	for _, v := range members[1:] {
		keys = g.enabled(v, keys[:0])
		common = slices.DeleteFunc(common, func(k uint32) bool {
			_, on := slices.BinarySearch(keys, k)
			return !on
		})
	}
	return common
}

func (g *liveGraph) firstEdge(members []uint32, key, id uint32, comp []uint32) edgeRef {
	for _, v := range members {
		lo, hi := g.edges(v)
		for e := lo; e < hi; e++ {
			if g.keys[e] == key && inComponent(comp, g.targets[e], id) {
				return edgeRef{from: v, edge: e}
			}
		}
	}
	assert.That(false, "explore: a fair component takes no edge with a key enabled everywhere in it")
	return edgeRef{}
}

// loopThroughEdge returns a path from entry through r and back.
func (g *liveGraph) loopThroughEdge(entry uint32, r edgeRef, id uint32, comp []uint32) []edgeRef {
	out := g.route(entry, r.from, id, comp)
	out = append(out, r)
	return append(out, g.route(g.targets[r.edge], entry, id, comp)...)
}

// unfairKey returns the smallest key enabled in every state of the cycle
// and taken by none of its edges.
func (g *liveGraph) unfairKey(entry uint32, cycle []edgeRef) (uint32, bool) {
	states := []uint32{entry}
	taken := map[uint32]bool{}
	for _, r := range cycle {
		states = append(states, g.targets[r.edge])
		taken[g.keys[r.edge]] = true
	}
	slices.Sort(states)
	for _, key := range g.everywhere(slices.Compact(states)) {
		if !taken[key] {
			return key, true
		}
	}
	return 0, false
}

// route returns a shortest path from a to b inside component id.
func (g *liveGraph) route(a, b, id uint32, comp []uint32) []edgeRef {
	if a == b {
		return nil
	}
	via := map[uint32]edgeRef{a: {}}
	queue := []uint32{a}
	for len(queue) > 0 {
		v := queue[0]
		queue = queue[1:]
		lo, hi := g.edges(v)
		for e := lo; e < hi; e++ {
			w := g.targets[e]
			if _, seen := via[w]; seen || !inComponent(comp, w, id) {
				continue
			}
			via[w] = edgeRef{from: v, edge: e}
			if w == b {
				var path []edgeRef
				for x := b; x != a; x = via[x].from {
					path = append(path, via[x])
				}
				slices.Reverse(path)
				return path
			}
			queue = append(queue, w)
		}
	}
	assert.That(false, "explore: no path inside a strongly connected component")
	return nil
}

// lassoPath renders l: the shortest path to its entry, then the cycle's
// transitions, re-executed on the model (edge j of a state is its j-th
// enabled action).
func (b *bfs[S, A]) lassoPath(l lasso) trail {
	g := b.live
	level := sort.Search(len(g.levelStart), func(i int) bool { return g.levelStart[i] > int64(l.entry) }) - 1
	initIndex, reps, actionIndexes := b.replay(level, int(l.entry-uint32(g.levelStart[level])))
	t := b.buildPath(b.inits, initIndex, reps, actionIndexes)
	current := reps[len(reps)-1]
	var actions []A
	for _, r := range l.cycle {
		lo, _ := g.edges(r.from)
		rank := int(r.edge - lo)
		actions = b.model.Actions(current, actions[:0])
		for i, a := range actions {
			next, ok := b.model.NextState(current, a)
			if !ok {
				continue
			}
			if rank > 0 {
				rank--
				continue
			}
			fp, _ := b.identify(next, nil)
			assert.That(g.index[shardOf(fp)].lookup(fp) == g.targets[r.edge], "explore: a replayed cycle left its states; the model is not deterministic")
			t.add(Step{Action: b.describeAction(a), State: b.describeState(next)}, i)
			current = next
			break
		}
	}
	return t
}

// tarjan finds the strongly connected components of the graph restricted
// to the states in reports true for, without recursion.
type tarjan struct {
	g     *liveGraph
	in    func(uint32) bool
	order []uint32 // discovery order from 1; 0: not yet visited
	low   []uint32
	comp  []uint32 // component id from 1; 0: none yet (on the stack, if visited)
	stack []uint32
	calls []tarjanCall
	count uint32
	ids   uint32
	// stop is polled every tarjanPollSteps steps; once it says so the
	// search ends with stopped set.
	stop    func() bool
	steps   int
	stopped bool
}

const tarjanPollSteps = 1 << 16

type tarjanCall struct {
	v    uint32
	next uint64
}

func newTarjan(g *liveGraph, in func(uint32) bool, stop func() bool) *tarjan {
	n := g.states()
	return &tarjan{g: g, in: in, stop: stop, order: make([]uint32, n), low: make([]uint32, n), comp: make([]uint32, n)}
}

// run calls visit with each component's states and id.
func (t *tarjan) run(visit func(members []uint32, id uint32)) {
	for v := range uint32(len(t.order)) {
		if t.stopped {
			return
		}
		if t.in(v) && t.order[v] == 0 {
			t.push(v)
			t.search(visit)
		}
	}
}

func (t *tarjan) push(v uint32) {
	t.count++
	t.order[v], t.low[v] = t.count, t.count
	t.stack = append(t.stack, v)
	lo, _ := t.g.edges(v)
	t.calls = append(t.calls, tarjanCall{v: v, next: lo})
}

func (t *tarjan) search(visit func(members []uint32, id uint32)) {
	for len(t.calls) > 0 {
		t.steps++
		if t.steps%tarjanPollSteps == 0 && t.stop() {
			t.stopped = true
			return
		}
		call := &t.calls[len(t.calls)-1]
		v := call.v
		if _, hi := t.g.edges(v); call.next < hi {
			w := t.g.targets[call.next]
			call.next++
			switch {
			case w == noTarget || int(w) >= len(t.order) || !t.in(w):
			case t.order[w] == 0:
				t.push(w)
			case t.comp[w] == 0:
				t.low[v] = min(t.low[v], t.order[w])
			}
			continue
		}
		t.calls = t.calls[:len(t.calls)-1]
		if len(t.calls) > 0 {
			u := t.calls[len(t.calls)-1].v
			t.low[u] = min(t.low[u], t.low[v])
		}
		if t.low[v] != t.order[v] {
			continue
		}
		t.ids++
		i := len(t.stack) - 1
		for t.stack[i] != v {
			i--
		}
		members := t.stack[i:]
		for _, w := range members {
			t.comp[w] = t.ids
		}
		visit(members, t.ids)
		t.stack = t.stack[:i]
	}
}
