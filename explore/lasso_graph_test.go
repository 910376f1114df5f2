package explore

import (
	"context"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// mesh is a pseudo-random directed graph on nodes [0, nodes): node n has
// fanout successors drawn from a hash of (n, i), reached by action i, so a
// BFS level has many duplicates across chunks; nodes divisible by 5 have no
// successors and nodes above bound are outside the constraint.
type mesh struct{ nodes, fanout, bound uint64 }

func meshHash(x uint64) uint64 {
	x ^= x >> 31
	x *= 0x9e3779b97f4a7c15
	x ^= x >> 29
	return x
}

func (m mesh) Name() string         { return "mesh" }
func (m mesh) InitStates() []uint64 { return []uint64{1, 2} }
func (m mesh) Actions(s uint64, actions []int) []int {
	if s%5 == 0 {
		return actions
	}
	for i := range int(m.fanout) {
		actions = append(actions, i)
	}
	return actions
}
func (m mesh) NextState(s uint64, a int) (uint64, bool) {
	return meshHash(s*31+uint64(a)) % m.nodes, a != 2 || s%3 != 0
}
func (m mesh) Fingerprint(s uint64) uint64  { return meshHash(s + 7) }
func (m mesh) WithinBounds(s uint64) bool   { return s <= m.bound }
func (m mesh) FairKey(a int) (uint64, bool) { return uint64(a) + 1, a != 1 }
func (m mesh) Hidden(s uint64) bool         { return s%11 == 0 }
func (m mesh) Properties() []Property[uint64] {
	return []Property[uint64]{Eventually("seven", func(s uint64) bool { return s%7 == 0 })}
}

// meshGraph is the liveness graph as a sequential BFS builds it: states
// numbered in discovery order, each expanded state's edges in action order.
type meshGraph struct {
	Usable, Holds []bool
	Targets       [][]uint32
	Keys          [][]uint64
}

func referenceGraph(m mesh, depthMax int) meshGraph {
	var g meshGraph
	index := map[uint64]uint32{}
	var order []uint64
	var depth []int
	add := func(s uint64, d int) {
		if _, ok := index[s]; !ok {
			index[s] = uint32(len(order))
			order = append(order, s)
			depth = append(depth, d)
		}
	}
	for _, s := range m.InitStates() {
		add(s, 1)
	}
	for i := 0; i < len(order); i++ {
		if depth[i] >= depthMax {
			break // the first state of the unexpanded level
		}
		s := order[i]
		var targets []uint32
		var keys []uint64
		if m.WithinBounds(s) {
			for _, a := range m.Actions(s, nil) {
				next, ok := m.NextState(s, a)
				if !ok {
					continue
				}
				add(next, depth[i]+1)
				key, fair := m.FairKey(a)
				if !fair {
					key = 0
				}
				targets, keys = append(targets, index[next]), append(keys, key)
			}
		}
		g.Usable = append(g.Usable, m.WithinBounds(s) && !m.Hidden(s))
		g.Targets, g.Keys = append(g.Targets, targets), append(g.Keys, keys)
	}
	for _, s := range order {
		g.Holds = append(g.Holds, s%7 == 0)
	}
	return g
}

// TestLivenessGraphMatchesSequentialBFS: the graph a parallel BFS records
// (many chunks, duplicates across them) is the one a sequential BFS
// builds, for any number of workers.
func TestLivenessGraphMatchesSequentialBFS(t *testing.T) {
	m := mesh{nodes: 20000, fanout: 4, bound: 18000}
	const depthMax = 9
	want := referenceGraph(m, depthMax)
	for _, workers := range []int{1, 2, 3} {
		c, err := newChecker[uint64, int](m, Options{Workers: workers, Liveness: true, DepthMax: depthMax})
		if err != nil {
			t.Fatal(err)
		}
		c.runBFS(context.Background())
		var got meshGraph
		g := c.live
		keyOf := map[uint32]uint64{0: 0}
		for key, id := range g.keyIDs {
			keyOf[id] = key
		}
		for v := range uint32(g.states()) {
			lo, hi := g.edges(v)
			got.Usable = append(got.Usable, g.usable.has(v))
			got.Targets = append(got.Targets, append([]uint32(nil), g.targets[lo:hi]...))
			var keys []uint64
			for _, id := range g.keys[lo:hi] {
				keys = append(keys, keyOf[id])
			}
			got.Keys = append(got.Keys, keys)
		}
		for v := range uint32(c.states) {
			got.Holds = append(got.Holds, g.holds[0].has(v))
		}
		t.Logf("%d expanded of %d states, %d edges", len(want.Usable), len(want.Holds), len(g.targets))
		if len(want.Usable) < 1000 {
			t.Fatalf("the reference graph has only %d expanded states", len(want.Usable))
		}
		if diff := cmp.Diff(want, got, cmp.Transformer("nil", func(x []uint32) string { return fmt.Sprint(x) }),
			cmp.Transformer("nilKeys", func(x []uint64) string { return fmt.Sprint(x) })); diff != "" {
			t.Errorf("%d workers: graph (-want +got):\n%s", workers, diff)
		}
	}
}

// TestLassoSearchStopsOnTimeout: the lasso search polls the context as the
// search does; stopped, it leaves the Eventually property unknown and the
// search's other verdicts as they were.
func TestLassoSearchStopsOnTimeout(t *testing.T) {
	m := mesh{nodes: 200000, fanout: 4, bound: 200000}
	c, err := newChecker[uint64, int](m, Options{Workers: 2, Liveness: true})
	if err != nil {
		t.Fatal(err)
	}
	c.runBFS(context.Background())
	if c.status != "" || c.states < 100000 {
		t.Fatalf("search: %q, %d states", c.status, c.states)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	c.lasso(ctx)
	r := c.result(0)
	if r.Status != StatusLimit || r.Limit != limitTimeout || r.Properties[0].Verdict != VerdictUnknown || r.Counterexample != nil {
		t.Errorf("got %s limit=%s %s, want a timeout with the property unknown", r.Status, r.Limit, r.Properties[0].Verdict)
	}
}
