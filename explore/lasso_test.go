package explore_test

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/orrery-sim/orrery/explore"
)

// lts is a labelled transition system written out edge by edge, to test
// the lasso search on graphs drawn by hand. State 0 is initial; the
// Eventually property "goal" holds in the states of goal. An action is
// fair unless its label starts with "env:".
type lts struct {
	edges  map[int][]edge
	goal   map[int]bool
	outer  map[int]bool // outside the state constraint: not expanded
	hidden map[int]bool // a bound hides an action enabled here
}

type edge struct {
	label string
	to    int
}

// parseLTS reads "from -label-> to" edges separated by commas.
func parseLTS(spec string, goal ...int) *lts {
	m := &lts{edges: map[int][]edge{}, goal: map[int]bool{}, outer: map[int]bool{}, hidden: map[int]bool{}}
	for _, e := range strings.Split(spec, ",") {
		var from, to int
		var label string
		if _, err := fmt.Sscanf(strings.ReplaceAll(strings.TrimSpace(e), "-", " "), "%d %s > %d", &from, &label, &to); err != nil {
			panic(fmt.Sprintf("edge %q: %v", e, err))
		}
		m.edges[from] = append(m.edges[from], edge{label, to})
	}
	for _, g := range goal {
		m.goal[g] = true
	}
	return m
}

func (m *lts) Name() string             { return "lts" }
func (m *lts) InitStates() []int        { return []int{0} }
func (m *lts) Fingerprint(s int) uint64 { return mix(uint64(s) + 1) }

func (m *lts) Actions(s int, actions []edge) []edge { return append(actions, m.edges[s]...) }
func (m *lts) NextState(s int, a edge) (int, bool)  { return a.to, true }

func (m *lts) Properties() []explore.Property[int] {
	return []explore.Property[int]{explore.Eventually("goal", func(s int) bool { return m.goal[s] })}
}

func (m *lts) FairKey(a edge) (uint64, bool) {
	h := fnv.New64a()
	h.Write([]byte(a.label))
	return h.Sum64(), !strings.HasPrefix(a.label, "env:")
}

func (m *lts) Hidden(s int) bool            { return m.hidden[s] }
func (m *lts) WithinBounds(s int) bool      { return !m.outer[s] }
func (m *lts) DescribeState(s int) string   { return fmt.Sprint(s) }
func (m *lts) DescribeAction(a edge) string { return a.label }

// lassoOutcome is what a test pins of a liveness search.
type lassoOutcome struct {
	Status  explore.Status
	Verdict string
	Path    string // "0 a 1 b 2 ..." states and actions; "|" marks the loop start
	Edges   int64
}

func checkLasso(t *testing.T, m *lts, o explore.Options) lassoOutcome {
	t.Helper()
	o.Liveness = true
	r, err := explore.Check[int, edge](context.Background(), m, o)
	if err != nil {
		t.Fatal(err)
	}
	got := lassoOutcome{Status: r.Status, Verdict: r.Properties[0].Verdict, Edges: r.Edges}
	if c := r.Counterexample; c != nil {
		var parts []string
		for i, s := range c.Steps {
			if s.Action != "" {
				parts = append(parts, s.Action)
			}
			if i+1 == c.LoopAt {
				parts = append(parts, "|")
			}
			parts = append(parts, s.State)
		}
		got.Path = strings.Join(parts, " ")
	}
	return got
}

// TestLassoSearch pins the verdict and the counterexample of hand-drawn
// graphs: a fair cycle and a stuck state are found, an unfair cycle and
// what bounds cut off are not.
func TestLassoSearch(t *testing.T) {
	tests := []struct {
		name string
		m    *lts
		o    explore.Options
		want lassoOutcome
	}{
		{"fair-cycle", parseLTS("0 -a-> 1, 1 -b-> 2, 2 -c-> 1, 1 -d-> 3", 3), explore.Options{},
			// d is enabled in 1 only, so 1-2-1 is fair: the run never takes d.
			lassoOutcome{explore.StatusViolated, explore.VerdictViolated, "0 a | 1 b 2 c 1", 4}},
		{"unfair-cycle", parseLTS("0 -a-> 1, 1 -b-> 2, 2 -c-> 1, 1 -d-> 3, 2 -d-> 3", 3), explore.Options{},
			// d is enabled in both states of the cycle and never taken in it.
			lassoOutcome{explore.StatusComplete, explore.VerdictHolds, "", 5}},
		{"environment-action-not-fair", parseLTS("0 -a-> 1, 1 -b-> 2, 2 -c-> 1, 1 -env:crash-> 3, 2 -env:crash-> 3", 3), explore.Options{},
			// The environment may withhold a crash for ever.
			lassoOutcome{explore.StatusViolated, explore.VerdictViolated, "0 a | 1 b 2 c 1", 5}},
		{"self-loop", parseLTS("0 -a-> 1, 1 -tick-> 1", 2), explore.Options{},
			lassoOutcome{explore.StatusViolated, explore.VerdictViolated, "0 a | 1 tick 1", 2}},
		{"stuck", parseLTS("0 -a-> 1, 1 -env:restart-> 2", 2), explore.Options{},
			// Only an environment action is enabled in 1.
			lassoOutcome{explore.StatusViolated, explore.VerdictViolated, "0 a | 1", 2}},
		{"goal-on-the-cycle", parseLTS("0 -a-> 1, 1 -b-> 2, 2 -c-> 1", 2), explore.Options{},
			lassoOutcome{explore.StatusComplete, explore.VerdictHolds, "", 3}},
		{"goal-in-prefix-only", parseLTS("0 -a-> 1, 1 -b-> 2, 2 -c-> 1", 0), explore.Options{},
			// "Eventually" asks for the goal again and again, not once.
			lassoOutcome{explore.StatusViolated, explore.VerdictViolated, "0 a | 1 b 2 c 1", 3}},
		{"detour-for-fairness", parseLTS("0 -a-> 1, 1 -b-> 2, 2 -c-> 1, 1 -x-> 9, 2 -x-> 9, 1 -d-> 3, 3 -e-> 1", 9), explore.Options{},
			// 1-2-1 keeps x enabled and never takes it; going through 3,
			// where x is disabled, makes the cycle fair.
			lassoOutcome{explore.StatusViolated, explore.VerdictViolated, "0 a | 1 b 2 c 1 d 3 e 1", 7}},
		{"required-key-then-detour", parseLTS("0 -x-> 1, 1 -a-> 2, 2 -b-> 1, 1 -k-> 1, 2 -k-> 2", 9), explore.Options{},
			// k is enabled in both states, so the cycle must take it; a
			// loop on 1 alone keeps a enabled, so it also visits 2.
			lassoOutcome{explore.StatusViolated, explore.VerdictViolated, "0 x | 1 k 1 a 2 b 1", 5}},
		{"depth-bound-cuts-a-stuck-state", parseLTS("0 -a-> 1, 1 -b-> 2, 2 -c-> 3", 9), explore.Options{DepthMax: 3},
			// 2 is at the depth bound: not expanded, so not stuck.
			lassoOutcome{explore.StatusLimit, explore.VerdictUnknown, "", 2}},
		{"depth-bound-keeps-what-it-found", parseLTS("0 -a-> 1, 1 -tick-> 1, 1 -env:b-> 2, 2 -c-> 3", 9), explore.Options{DepthMax: 3},
			lassoOutcome{explore.StatusViolated, explore.VerdictViolated, "0 a | 1 tick 1", 3}},
		{"state-limit", parseLTS("0 -a-> 1, 0 -b-> 2, 2 -c-> 2", 1), explore.Options{StatesMax: 2},
			// 2 was cut by the state limit: its self-loop is not known.
			lassoOutcome{explore.StatusLimit, explore.VerdictUnknown, "", 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, workers := range []int{1, 2} {
				tt.o.Workers = workers
				if diff := cmp.Diff(tt.want, checkLasso(t, tt.m, tt.o)); diff != "" {
					t.Errorf("workers=%d (-want +got):\n%s", workers, diff)
				}
			}
		})
	}
}

// TestLassoBoundsAreNotDeadlocks: a state outside the state constraint, or
// one whose enabled actions a bound hides, has no known successors; it is
// not reported as a run that stops there.
func TestLassoBoundsAreNotDeadlocks(t *testing.T) {
	outer := parseLTS("0 -a-> 1, 1 -b-> 2", 2)
	outer.outer[1] = true
	hidden := parseLTS("0 -a-> 1, 1 -b-> 2", 2)
	hidden.hidden[1] = true
	for name, m := range map[string]*lts{"outer": outer, "hidden": hidden} {
		want := lassoOutcome{explore.StatusComplete, explore.VerdictHolds, "", 2}
		if name == "outer" {
			want.Edges = 1 // 1 is not expanded
		}
		if diff := cmp.Diff(want, checkLasso(t, m, explore.Options{})); diff != "" {
			t.Errorf("%s (-want +got):\n%s", name, diff)
		}
		delete(m.outer, 1)
		delete(m.hidden, 1)
		m.edges[1] = nil // now 1 is really stuck
		if got := checkLasso(t, m, explore.Options{}); got.Verdict != explore.VerdictViolated || got.Path != "0 a | 1" {
			t.Errorf("%s without the bound: got %+v, want the run stuck in 1", name, got)
		}
	}
}

// TestLivenessIsOptIn: without Options.Liveness an Eventually property is
// reported unchecked and stores no graph; with it, strategies the lasso
// search does not support are refused.
func TestLivenessIsOptIn(t *testing.T) {
	m := parseLTS("0 -a-> 1, 1 -tick-> 1", 2)
	r, err := explore.Check[int, edge](context.Background(), m, explore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != explore.StatusComplete || r.Properties[0].Verdict != explore.VerdictUnchecked || r.Edges != 0 || r.GraphBytesPerState != 0 {
		t.Errorf("without Liveness: got %s, %s, %d edges, %.1f graph bytes/state", r.Status, r.Properties[0].Verdict, r.Edges, r.GraphBytesPerState)
	}
	// A model without Eventually properties stores no graph either.
	g, err := explore.Check[point, step](context.Background(), &grid{size: 3, bad: point{-1, -1}}, explore.Options{Liveness: true})
	if err != nil || g.Status != explore.StatusComplete || g.Edges != 0 || g.GraphBytesPerState != 0 {
		t.Errorf("grid with Liveness: %s, %d edges, %.1f graph bytes/state, %v", g.Status, g.Edges, g.GraphBytesPerState, err)
	}
	for _, o := range []explore.Options{{Strategy: explore.DFS}, {Strategy: explore.RandomWalk}} {
		o.Liveness = true
		_, err := explore.Check[int, edge](context.Background(), m, o)
		if !errors.Is(err, explore.ErrLiveness) || !strings.HasSuffix(err.Error(), "; Strategy is "+o.Strategy.String()) {
			t.Errorf("%+v: got %v, want ErrLiveness naming the strategy", o, err)
		}
	}
}
