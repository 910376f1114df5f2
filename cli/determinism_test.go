package cli

import (
	"strings"
	"testing"

	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/sim"
)

// setups counts Setup calls process-wide: state that outlives a run, the way a
// library's cache or global random source does, makes the protocol below
// nondeterministic.
var setups int

// leaky arms its first timer after a delay that grows with every run.
type leaky struct{ first sim.Time }

func (l *leaky) Start(ctx *sim.Context)                        { ctx.SetTimer("tick", l.first) }
func (l *leaky) Receive(*sim.Context, sim.NodeID, sim.Message) {}
func (l *leaky) Timer(ctx *sim.Context, _ string)              { ctx.SetTimer("tick", 5*sim.Millisecond) }

var leakyProtocol = &protocols.Protocol{
	Name: "leaky-test", Nodes: 1, MinNodes: 1, Safety: 50 * sim.Millisecond, Liveness: sim.Millisecond,
	Setup: func(w *sim.World, o protocols.Options) (*protocols.Instance, error) {
		setups++
		first := sim.Time(5+setups) * sim.Millisecond
		id := w.AddAgent(sim.AgentSpec{Name: "n1", New: func() sim.Agent { return &leaky{first: first} }})
		return &protocols.Instance{Servers: []sim.NodeID{id}}, nil
	},
}

// TestCheckDeterminismNamesFirstDivergentEvent: a run that differs between
// two executions of one seed fails the check (exit 5), which names the first
// event that differs and shows both versions of it.
func TestCheckDeterminismNamesFirstDivergentEvent(t *testing.T) {
	setups = 0
	if err := protocols.Ensure(leakyProtocol); err != nil {
		t.Fatal(err)
	}
	code, out, _ := simrun(t, "-protocol", "leaky-test", "-seed", "1", "-faults", "none", "-check-determinism")
	for _, want := range []string{
		"NONDETERMINISTIC: two runs of seed 1 first differ at event 2 (0.006000s n1 timer tick)",
		"  same           1 0.000000s n1 start",
		"  first          2 0.006000s n1 timer tick",
		"  second         2 0.007000s n1 timer tick",
		"event 2 (-first +second):",
		"Time:",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if code != 5 {
		t.Errorf("exit %d, want 5", code)
	}
}

// drawer draws once per run so far at start: the same event, other questions.
type drawer struct{ draws int }

func (d *drawer) Start(ctx *sim.Context) {
	for range d.draws {
		ctx.Rand(10)
	}
}
func (d *drawer) Receive(*sim.Context, sim.NodeID, sim.Message) {}
func (d *drawer) Timer(*sim.Context, string)                    {}

var drawerProtocol = &protocols.Protocol{
	Name: "drawer-test", Nodes: 1, MinNodes: 1, Safety: 50 * sim.Millisecond, Liveness: sim.Millisecond,
	Setup: func(w *sim.World, o protocols.Options) (*protocols.Instance, error) {
		setups++
		draws := setups
		id := w.AddAgent(sim.AgentSpec{Name: "n1", New: func() sim.Agent { return &drawer{draws: draws} }})
		return &protocols.Instance{Servers: []sim.NodeID{id}}, nil
	},
}

// TestCheckDeterminismNamesTheHandler: when only the scheduler's questions
// differ, the report says which agent's handler behaved differently.
func TestCheckDeterminismNamesTheHandler(t *testing.T) {
	if err := protocols.Ensure(drawerProtocol); err != nil {
		t.Fatal(err)
	}
	code, out, _ := simrun(t, "-protocol", "drawer-test", "-seed", "1", "-faults", "none", "-check-determinism")
	want := "the same event asked the scheduler different questions: its handler (n1) sent"
	if code != 5 || !strings.Contains(out, "first differ at event 1 (0.000000s n1 start)") || !strings.Contains(out, want) {
		t.Errorf("exit %d, output lacks %q:\n%s", code, want, out)
	}
}

// summarizedLeaky is leaky with a Summary, which the trace records after
// every event.
type summarizedLeaky struct{ leaky }

func (l *summarizedLeaky) Summary() string { return "ticking" }

var summarizedLeakyProtocol = &protocols.Protocol{
	Name: "summarized-leaky-test", Nodes: 1, MinNodes: 1, Safety: 50 * sim.Millisecond, Liveness: sim.Millisecond,
	Setup: func(w *sim.World, o protocols.Options) (*protocols.Instance, error) {
		setups++
		first := sim.Time(5+setups) * sim.Millisecond
		id := w.AddAgent(sim.AgentSpec{Name: "n1", New: func() sim.Agent { return &summarizedLeaky{leaky{first: first}} }})
		return &protocols.Instance{Servers: []sim.NodeID{id}}, nil
	},
}

// TestCheckDeterminismComparesSummaries: agents with a Summary record it in
// both runs, and the check still names the first event that really differs,
// not the first event with a summary.
func TestCheckDeterminismComparesSummaries(t *testing.T) {
	setups = 0
	if err := protocols.Ensure(summarizedLeakyProtocol); err != nil {
		t.Fatal(err)
	}
	code, out, _ := simrun(t, "-protocol", "summarized-leaky-test", "-seed", "1", "-faults", "none", "-check-determinism")
	want := "NONDETERMINISTIC: two runs of seed 1 first differ at event 2 (0.006000s n1 timer tick)"
	if code != 5 || !strings.Contains(out, want) {
		t.Errorf("exit %d, output lacks %q:\n%s", code, want, out)
	}
}
