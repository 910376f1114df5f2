package actors_test

import (
	"context"
	"slices"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/orrery-sim/orrery/explore"
	"github.com/orrery-sim/orrery/explore/actors"
	"github.com/orrery-sim/orrery/property"
	_ "github.com/orrery-sim/orrery/protocols/abd"
	_ "github.com/orrery-sim/orrery/protocols/chat"
)

// judged is what a search saw: every state judged, the states with no
// enabled step, and the properties that failed (invariants) or were met
// (reachability goals) on some state.
type judged struct {
	States, Terminal []uint64
	Failed           []string
}

// judgeRecorder collects a judged from the states it is shown.
type judgeRecorder struct {
	m        *actors.Model
	props    []explore.Property[actors.State]
	mu       sync.Mutex
	states   map[uint64]bool
	terminal map[uint64]bool
	failed   map[string]bool
}

func newJudgeRecorder(m *actors.Model) *judgeRecorder {
	return &judgeRecorder{m: m, props: m.Properties(), states: map[uint64]bool{}, terminal: map[uint64]bool{}, failed: map[string]bool{}}
}

func (r *judgeRecorder) see(s actors.State) {
	fp := r.m.Fingerprint(s)
	dead := len(r.m.Actions(s, nil)) == 0
	var failed []string
	for _, p := range r.props {
		if p.Condition(s) == (p.Kind == property.Sometimes) {
			failed = append(failed, p.Name)
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.states[fp] = true
	if dead {
		r.terminal[fp] = true
	}
	for _, name := range failed {
		r.failed[name] = true
	}
}

func (r *judgeRecorder) result() judged {
	failed := make([]string, 0, len(r.failed))
	for name := range r.failed {
		failed = append(failed, name)
	}
	slices.Sort(failed)
	return judged{States: sortedKeys(r.states), Terminal: sortedKeys(r.terminal), Failed: failed}
}

// seeingModel is a model whose only property shows every stored state to a
// judgeRecorder: the full search then explores everything, violations
// included.
type seeingModel struct {
	*actors.Model
	rec *judgeRecorder
}

func (s seeingModel) Properties() []explore.Property[actors.State] {
	return []explore.Property[actors.State]{explore.Always("see", func(st actors.State) bool { s.rec.see(st); return true })}
}

// fullSearch is what the full stateful BFS judges on m within depth.
func fullSearch(t *testing.T, m *actors.Model, depth int) (judged, explore.Result) {
	rec := newJudgeRecorder(m)
	r, err := explore.Check(context.Background(), seeingModel{m, rec}, explore.Options{Workers: 2, DepthMax: depth})
	if err != nil {
		t.Fatal(err)
	}
	return rec.result(), r
}

// dporSearch is what the stateless search judges on m within depth, going
// on after violations.
func dporSearch(t *testing.T, m *actors.Model, depth int) (judged, actors.DPORResult) {
	rec := newJudgeRecorder(m)
	r, err := m.DPOR(context.Background(), actors.WithVisit(actors.DPOROptions{DepthMax: depth}, rec.see, true))
	if err != nil {
		t.Fatal(err)
	}
	return rec.result(), r
}

type dporCase struct {
	name  string
	model func(t *testing.T) *actors.Model
	depth int
}

var dporCases = []dporCase{
	{"toy/unordered", toyModel(actors.Unordered, 0, 3), 12},
	{"toy/lossy", toyModel(actors.Lossy, 0, 3), 12},
	{"toy/crash", toyModel(actors.Unordered, 1, 3), 10},
	{"toy/limit-2", toyModel(actors.Unordered, 0, 2), 12},
	{"twopc", protocolModel("twopc", 2, "", actors.Unordered, 0), 10},
	{"twopc/fifo", protocolModel("twopc", 2, "", actors.FIFO, 0), 10},
	{"twopc/dup", protocolModel("twopc", 2, "", actors.Duplicating, 0), 8},
	{"twopc/forget-yes-vote", protocolModel("twopc", 2, "forget-yes-vote", actors.Unordered, 1), 8},
	{"twopc/lossy", protocolModel("twopc", 2, "", actors.Lossy, 0), 8},
	{"twopc/timed-dup", protocolModelTimed("twopc", 2, "", actors.Duplicating, 0, true), 7},
	{"raft", protocolModel("raft", 3, "", actors.Unordered, 0), 8},
	{"raft/fifo", protocolModel("raft", 3, "", actors.FIFO, 0), 8},
	{"raft/crash", protocolModel("raft", 3, "", actors.Unordered, 1), 6},
	{"raft/truncate-on-stale", protocolModel("raft", 3, "truncate-on-stale", actors.Unordered, 0), 9},
	{"abd", protocolModel("abd", 3, "", actors.Unordered, 0), 8},
	{"abd/minority-quorum", protocolModel("abd", 3, "minority-quorum", actors.Unordered, 0), 9},
	{"chat", protocolModel("chat", 3, "", actors.Unordered, 0), 6},
	{"chat/no-hold-back", protocolModel("chat", 3, "no-hold-back", actors.Unordered, 0), 6},
	{"paxos", protocolModel("paxos", 3, "", actors.Unordered, 0), 8},
}

// The differential test of the stateless search: on each configuration it
// judges exactly the states the full stateful search stores (as cuts of the
// traces it explores), finds the same states without an enabled step, and
// the same properties fail or are met.
func TestDPORDifferential(t *testing.T) {
	for _, c := range dporCases {
		t.Run(c.name, func(t *testing.T) {
			m := c.model(t)
			want, full := fullSearch(t, m, c.depth)
			got, r := dporSearch(t, m, c.depth)
			if diff := cmp.Diff(want.Failed, got.Failed); diff != "" {
				t.Errorf("properties failed or met (-full +dpor):\n%s", diff)
			}
			if diff := cmp.Diff(want.Terminal, got.Terminal); diff != "" {
				t.Errorf("terminal states (-full +dpor):\n%s", diff)
			}
			if diff := cmp.Diff(len(want.States), len(got.States)); diff != "" {
				t.Errorf("states (-full +dpor):\n%s", diff)
			} else if !slices.Equal(want.States, got.States) {
				t.Errorf("the searches judge different states")
			}
			t.Logf("full: states=%d generated=%d; dpor: executions=%d blocked=%d events=%d cut-states=%d fallbacks=%d failed=%v",
				full.States, full.Generated, r.Executions, r.Blocked, r.Events, r.Cuts, r.Fallbacks, got.Failed)
		})
	}
}

// Planted bugs: the stateless search stops at the first violated invariant
// with a path (an execution of the events of the cut where it failed) that
// re-executes as an ordinary trace failing the same way.
func TestDPORFindsPlantedBugs(t *testing.T) {
	tests := []struct {
		name     string
		model    func(t *testing.T) *actors.Model
		depth    int
		property string
	}{
		{"twopc/forget-yes-vote", protocolModel("twopc", 2, "forget-yes-vote", actors.Unordered, 1), 9, "validity"},
		{"twopc/decision-changes-after-recovery", protocolModel("twopc", 2, "decision-changes-after-recovery", actors.Unordered, 1), 10, "atomicity"},
		{"raft/truncate-on-stale", protocolModel("raft", 3, "truncate-on-stale", actors.Unordered, 0), 11, "leader-completeness"},
		{"chat/no-hold-back", protocolModel("chat", 3, "no-hold-back", actors.Unordered, 0), 6, "fifo-per-origin"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := tt.model(t)
			r, err := m.DPOR(context.Background(), actors.DPOROptions{DepthMax: tt.depth})
			if err != nil {
				t.Fatal(err)
			}
			if r.Status != explore.StatusViolated || r.Counterexample == nil {
				t.Fatalf("status %s, want a violation of %s", r.Status, tt.property)
			}
			c := r.Counterexample
			run, err := m.Trace(c.Choices)
			if err != nil {
				t.Fatal(err)
			}
			if c.Property != tt.property || run.Failure != tt.property {
				t.Errorf("violated %s, re-executed trace fails %q, want %s", c.Property, run.Failure, tt.property)
			}
			t.Logf("%s after %d executions, %d events: %d steps", c.Property, r.Executions, r.Events, len(c.Steps))
		})
	}
}
