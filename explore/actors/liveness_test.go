package actors_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/orrery-sim/orrery/explore"
	"github.com/orrery-sim/orrery/explore/actors"
	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/sim"
	"github.com/orrery-sim/orrery/traces"
)

// A toy protocol for liveness: a caller sends a request at start and again
// whenever the callee answers busy; the callee answers busy until its
// warm-up timer fires, then ok. Eventually the caller is answered ok. With
// the planted bug the callee never arms its warm-up timer: request and busy
// chase each other for ever, a fair livelock. Without it the same cycle is
// still there, but the warm-up timer stays armed along it and never fires:
// the cycle is unfair, and no fair run avoids the answer.

type msgCall struct{}
type msgBusy struct{}
type msgOK struct{}

type caller struct{ Answered bool }

func (c *caller) Start(ctx *sim.Context) { ctx.Send(1, msgCall{}) }
func (c *caller) Receive(ctx *sim.Context, _ sim.NodeID, m sim.Message) {
	switch m.(type) {
	case msgBusy:
		ctx.Send(1, msgCall{})
	case msgOK:
		c.Answered = true
	}
}
func (c *caller) Timer(*sim.Context, string) {}

type callee struct {
	Ready bool
	bug   bool
}

func (c *callee) Start(ctx *sim.Context) {
	if !c.bug {
		ctx.SetTimer("warm-up", sim.Millisecond)
	}
}
func (c *callee) Receive(ctx *sim.Context, from sim.NodeID, _ sim.Message) {
	if c.Ready {
		ctx.Send(from, msgOK{})
		return
	}
	ctx.Send(from, msgBusy{})
}
func (c *callee) Timer(*sim.Context, string) { c.Ready = true }

func callSetup(bug bool) func(w *sim.World) (*protocols.Instance, error) {
	return callSetupDown(bug, 0)
}

// callSetupDown lets downForGood servers (the callee) stay down for good.
func callSetupDown(bug bool, downForGood int) func(w *sim.World) (*protocols.Instance, error) {
	return func(w *sim.World) (*protocols.Instance, error) {
		a := w.AddAgent(sim.AgentSpec{Name: "caller", New: func() sim.Agent { return &caller{} }})
		b := w.AddAgent(sim.AgentSpec{Name: "callee", New: func() sim.Agent { return &callee{bug: bug} }})
		w.AddProperty(sim.Property{Name: "answered", Kind: sim.Eventually, Check: func(w *sim.World) error {
			if c, ok := w.Agent(a).(*caller); ok && c.Answered {
				return nil
			}
			return errors.New("the caller has no answer")
		}})
		return &protocols.Instance{Servers: []sim.NodeID{b}, Tolerates: 1, DownForGoodMax: downForGood}, nil
	}
}

type liveCounts struct {
	States, Edges int64
	Status        explore.Status
	Verdict       string
	Path          []string // actions, "|" after the step where the cycle starts
}

func checkCall(t *testing.T, cfg actors.Config, o explore.Options) (liveCounts, *actors.Model, explore.Result) {
	t.Helper()
	m, err := actors.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	o.Liveness = true
	r, err := explore.Check(context.Background(), m, o)
	if err != nil {
		t.Fatal(err)
	}
	got := liveCounts{States: r.States, Edges: r.Edges, Status: r.Status, Verdict: r.Properties[1].Verdict}
	if c := r.Counterexample; c != nil {
		for i, s := range c.Steps {
			got.Path = append(got.Path, s.Action)
			if i+1 == c.LoopAt {
				got.Path = append(got.Path, "|")
			}
		}
	}
	return got, m, r
}

// TestLivelock: the planted livelock is found as a lasso, the correct
// callee passes, and hiding the warm-up timer by a bound hides the cycle's
// way out, so its states are left out rather than reported.
func TestLivelock(t *testing.T) {
	tests := []struct {
		name string
		cfg  actors.Config
		want liveCounts
	}{
		{"bug", actors.Config{Name: "call", Setup: callSetup(true)},
			liveCounts{2, 2, explore.StatusViolated, explore.VerdictViolated,
				[]string{"", "|", "callee ← caller actors_test.msgCall{}", "caller ← callee actors_test.msgBusy{}"}}},
		{"correct", actors.Config{Name: "call", Setup: callSetup(false)},
			liveCounts{6, 7, explore.StatusComplete, explore.VerdictHolds, nil}},
		// A crashed callee restarts (a fair action) unless the protocol
		// lets it stay down for good: then the call waits for ever.
		{"crash-restarts", actors.Config{Name: "call", Setup: callSetup(false), CrashesMax: 1},
			liveCounts{18, 29, explore.StatusComplete, explore.VerdictHolds, nil}},
		{"crash-down-for-good", actors.Config{Name: "call", Setup: callSetupDown(false, 1), CrashesMax: 1},
			liveCounts{18, 29, explore.StatusViolated, explore.VerdictViolated, []string{"", "crash callee", "|"}}},
		{"warm-up-hidden", actors.Config{Name: "call", Setup: callSetup(false),
			Fires: func(*sim.World, sim.NodeID, string) bool { return false }},
			liveCounts{2, 2, explore.StatusComplete, explore.VerdictHolds, nil}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, workers := range []int{1, 2} {
				got, _, _ := checkCall(t, tt.cfg, explore.Options{Workers: workers})
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("workers=%d (-want +got):\n%s", workers, diff)
				}
			}
		})
	}
}

// TestLivelockTrace: the lasso re-executes into a trace, the prefix and one
// turn of the cycle, ending with the liveness failure; written to a trace
// file and read back, it re-executes the same way.
func TestLivelockTrace(t *testing.T) {
	_, m, r := checkCall(t, actors.Config{Name: "call", Setup: callSetup(true)}, explore.Options{Workers: 1})
	c := r.Counterexample
	run, err := m.TraceLasso(c.Choices, c.Property, c.LoopAt)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range run.Events {
		got = append(got, fmt.Sprintf("%s %v", e.Desc, e.Choices))
	}
	want := []string{
		`0.000000s caller start [order:0/1]`,
		`0.000000s callee start []`,
		`0.001000s callee ← caller actors_test.msgCall{} [order:0/1]`,
		`0.002000s caller ← callee actors_test.msgBusy{} [order:0/1]`,
		`0.002000s fail: answered: steps 2-3 repeat for ever without it: the caller has no answer []`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("trace (-want +got):\n%s", diff)
	}
	if f := run.Footer(); f.Verdict != sim.VerdictLiveness.String() || f.Property != "answered" {
		t.Errorf("footer %+v, want a liveness verdict for answered", f)
	}
	if _, err := m.TraceLasso(c.Choices, c.Property, 2); err == nil {
		t.Errorf("a cycle start the path does not return to: want an error")
	}
	cfg := actors.TraceConfig{Explore: actors.ExploreConfig{Cycle: &actors.Cycle{Property: c.Property, LoopAt: c.LoopAt}}}
	var b bytes.Buffer
	if err := actors.WriteTrace(&b, cfg, nil, run); err != nil {
		t.Fatal(err)
	}
	tr, err := traces.Read(&b)
	if err != nil {
		t.Fatal(err)
	}
	back, choices, err := actors.FromTrace(tr)
	if err != nil {
		t.Fatal(err)
	}
	again, err := back.Run(m, choices)
	if err != nil {
		t.Fatal(err)
	}
	if again.Footer().Hash != run.Footer().Hash || again.Footer().Verdict != "liveness" {
		t.Errorf("re-executed from the file: %+v, want %+v", again.Footer(), run.Footer())
	}
}

// TestTwoPCAllDecide: twopc's termination property holds under weak
// fairness on the duplicating network with two participants (a complete
// search; states whose timers the time bound hides are left out).
func TestTwoPCAllDecide(t *testing.T) {
	p, err := protocols.Lookup("twopc")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := actors.FromProtocol(p, protocols.Options{Nodes: 2}, actors.Duplicating, 0)
	if err != nil {
		t.Fatal(err)
	}
	m, err := actors.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	r, err := explore.Check(context.Background(), m, explore.Options{Liveness: true})
	if err != nil {
		t.Fatal(err)
	}
	var verdict string
	for _, o := range r.Properties {
		if o.Name == "all-decide" {
			verdict = o.Verdict
		}
	}
	got := liveCounts{States: r.States, Edges: r.Edges, Status: r.Status, Verdict: verdict}
	if diff := cmp.Diff(liveCounts{3751, 16164, explore.StatusComplete, explore.VerdictHolds, nil}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	// The rest are unexpanded or wait on a timer due after the time bound.
	if r.LassoStates != 2331 {
		t.Errorf("%d states may lie on a lasso, want 2331", r.LassoStates)
	}
}
