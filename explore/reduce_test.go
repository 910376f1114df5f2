package explore_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/orrery-sim/orrery/explore"
)

// counters is a product of independent components, each a counter from 0
// to top, plus one action that moves a unit from counter 0 to counter 1 and
// so depends on both. Incrementing counter i is action i; the move is action
// len(counters). Counter 2 is bounded per component (a state where it
// exceeds bound is not expanded), which independence must respect.
type counters struct {
	n, top, bound int
	bad           [4]int
}

type vec [4]int

func (c *counters) Name() string      { return fmt.Sprintf("counters(%d)", c.n) }
func (c *counters) InitStates() []vec { return []vec{{}} }
func (c *counters) Actions(s vec, actions []int) []int {
	for i := range c.n {
		if s[i] < c.top {
			actions = append(actions, i)
		}
	}
	if s[0] > 0 && s[1] < c.top {
		actions = append(actions, c.n)
	}
	return actions
}

func (c *counters) NextState(s vec, a int) (vec, bool) {
	if a == c.n {
		s[0]--
		s[1]++
		return s, true
	}
	s[a]++
	return s, true
}

func (c *counters) Properties() []explore.Property[vec] {
	return []explore.Property[vec]{
		explore.Always("not-bad", func(s vec) bool { return s != c.bad }),
		explore.Sometimes("moved", func(s vec) bool { return s[1] == c.top }),
	}
}

func (c *counters) Fingerprint(s vec) uint64 {
	var fp uint64
	for _, v := range s {
		fp = fp*1000003 + uint64(v) + 1
	}
	return fp * 0x9e3779b97f4a7c15
}

func (c *counters) WithinBounds(s vec) bool { return s[2] <= c.bound }
func (c *counters) IsTerminal(vec) bool     { return true }

func (c *counters) ActionKey(a int) uint64           { return uint64(a) }
func (c *counters) Taken(_ vec, a int, _ vec) uint64 { return uint64(a) }
func (c *counters) Independent(_ vec, a, b explore.Move) bool {
	touches := func(m explore.Move) []int {
		if int(m.Key) == c.n {
			return []int{0, 1}
		}
		return []int{int(m.Key)}
	}
	for _, x := range touches(a) {
		for _, y := range touches(b) {
			if x == y {
				return false
			}
		}
	}
	return true
}

// Reduction stores the same states at the same depths and reaches the same
// verdicts, with fewer successors computed, for BFS on one and two workers
// and for DFS.
func TestReductionKeepsStates(t *testing.T) {
	models := []*counters{
		{n: 3, top: 3, bound: 3, bad: vec{-1}},
		{n: 4, top: 2, bound: 1, bad: vec{-1}},
		{n: 4, top: 3, bound: 2, bad: vec{1, 2, 2, 1}},
	}
	type counts struct {
		States int64
		Depth  int
		Status explore.Status
		Path   int
	}
	for _, m := range models {
		for _, o := range []explore.Options{{Workers: 1}, {Workers: 2}, {Strategy: explore.DFS}, {Workers: 2, DepthMax: 5}} {
			var got [2]counts
			var generated [2]int64
			for i, reduce := range []bool{false, true} {
				o.Reduce = reduce
				r, err := explore.Check(context.Background(), m, o)
				if err != nil {
					t.Fatal(err)
				}
				got[i] = counts{r.States, r.Depth, r.Status, 0}
				if r.Counterexample != nil && o.Strategy == explore.BFS {
					got[i].Path = len(r.Counterexample.Steps)
				}
				if o.Strategy == explore.DFS {
					got[i].Depth = 0
				}
				generated[i] = r.Generated
			}
			if diff := cmp.Diff(got[0], got[1]); diff != "" {
				t.Errorf("%s %+v: (-full +reduced)\n%s", m.Name(), o, diff)
			}
			if generated[1] >= generated[0] {
				t.Errorf("%s %+v: reduced search computed %d successors, full %d", m.Name(), o, generated[1], generated[0])
			}
		}
	}
}

func TestReductionNeedsIndependence(t *testing.T) {
	_, err := explore.Check(context.Background(), &grid{size: 2}, explore.Options{Reduce: true})
	if !errors.Is(err, explore.ErrNoIndependence) {
		t.Errorf("got %v, want ErrNoIndependence", err)
	}
	_, err = explore.Check(context.Background(), &counters{n: 2, top: 1}, explore.Options{Reduce: true, Symmetry: true})
	if !errors.Is(err, explore.ErrReduceSymmetry) && !errors.Is(err, explore.ErrNoSymmetry) {
		t.Errorf("got %v, want a configuration error", err)
	}
}
