package harness_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/orrery-sim/orrery/harness"
	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/sim"
)

// ticker arms a timer at start and ticks ten times.
type ticker struct{ ticks int }

func (t *ticker) Start(ctx *sim.Context)                        { ctx.SetTimer("tick", 10*sim.Millisecond) }
func (t *ticker) Receive(*sim.Context, sim.NodeID, sim.Message) {}
func (t *ticker) Timer(ctx *sim.Context, _ string) {
	if t.ticks++; t.ticks < 10 {
		ctx.SetTimer("tick", 10*sim.Millisecond)
	}
}

// panicky is a protocol that panics where its bug says: in an always
// property from the third tick on, in an at-end property, or in its setup.
var panicky = &protocols.Protocol{
	Name: "panicky", Nodes: 1, MinNodes: 1, MaxNodes: 1, Safety: sim.Second, Liveness: sim.Second,
	Bugs: []protocols.Bug{{Name: "always"}, {Name: "at-end"}, {Name: "setup"}},
	Setup: func(w *sim.World, o protocols.Options) (*protocols.Instance, error) {
		if o.Bug == "setup" {
			panic("cannot set up")
		}
		id := w.AddAgent(sim.AgentSpec{Name: "n1", New: func() sim.Agent { return &ticker{} }})
		kind := sim.Always
		if o.Bug == "at-end" {
			kind = sim.AtEnd
		}
		w.AddProperty(sim.Property{Name: "reads-nil", Kind: kind, Check: func(w *sim.World) error {
			if t, _ := w.Agent(id).(*ticker); t != nil && t.ticks >= 3 {
				var m map[string]int
				m["x"]++ // a property with a bug
			}
			return nil
		}})
		return &protocols.Instance{Servers: []sim.NodeID{id}}, nil
	},
}

func init() {
	if err := protocols.Ensure(panicky); err != nil {
		panic(err)
	}
}

// TestPanicsAreVerdicts: a panic in a property or in the protocol's setup
// comes back from harness.Run and harness.FirstFailure as a Panic verdict with
// its seed, not as a crash.
func TestPanicsAreVerdicts(t *testing.T) {
	for _, bug := range []string{"always", "at-end", "setup"} {
		t.Run(bug, func(t *testing.T) {
			cfg := harness.Config{Protocol: "panicky", Bug: bug, Faults: "none", Seed: 7}
			out, err := harness.Run(cfg, harness.RunOptions{Trace: &strings.Builder{}})
			if err != nil {
				t.Fatal(err)
			}
			r := out.Result
			if diff := cmp.Diff([]string{"panic", "panic"}, []string{r.Verdict.String(), r.Property}); diff != "" || r.Stack == "" {
				t.Errorf("Run (-want +got):\n%s\nreason %q", diff, r.Reason)
			}
			if where := map[string]string{"always": "property reads-nil:", "at-end": "property reads-nil:", "setup": "setup:"}[bug]; !strings.HasPrefix(r.Reason, where) {
				t.Errorf("reason %q does not start with %q", r.Reason, where)
			}
			s, err := harness.FirstFailure(cfg, 3, 6, 2)
			if err != nil {
				t.Fatal(err)
			}
			if s.Failure == nil || s.Failure.Config.Seed != 3 || s.Failure.Result.Verdict != sim.VerdictPanic {
				t.Fatalf("FirstFailure: %+v", s.Failure)
			}
		})
	}
}
