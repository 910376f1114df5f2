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
// two executions of one seed fails the check (exit 1), which names the first
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
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
}
