package sim_test

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/orrery-sim/orrery/scheduler"
	"github.com/orrery-sim/orrery/sim"
)

// ticker counts its timer firings; with back set, the fourth firing sets
// the count back to 1.
type ticker struct {
	n    int
	back bool
}

func (t *ticker) Start(ctx *sim.Context)                        { ctx.SetTimer("tick", sim.Second) }
func (t *ticker) Receive(*sim.Context, sim.NodeID, sim.Message) {}
func (t *ticker) Timer(ctx *sim.Context, _ string) {
	t.n++
	if t.back && t.n == 4 {
		t.n = 1
	}
	ctx.SetTimer("tick", sim.Second)
}

var countNeverBack = sim.Transition{
	Name:    "count-never-back",
	Observe: func(a sim.Agent) any { return a.(*ticker).n },
	Check: func(id sim.NodeID, before, after any) error {
		if before != nil && after.(int) < before.(int) {
			return fmt.Errorf("count went back from %d to %d", before, after)
		}
		return nil
	},
}

// A transition property fails the run at the handler that breaks it, and
// holds on a correct agent.
func TestTransitionProperty(t *testing.T) {
	for _, back := range []bool{false, true} {
		w := sim.New(sim.Options{Chooser: scheduler.Zero{}})
		w.AddAgent(sim.AgentSpec{Name: "t", New: func() sim.Agent { return &ticker{back: back} }})
		w.AddTransition(countNeverBack)
		r := w.Run(10*sim.Second, 0)
		got := []string{r.Verdict.String(), r.Property, r.Reason, fmt.Sprint(r.At)}
		want := []string{"pass", "", "", "0s"}
		if back {
			want = []string{"safety", "count-never-back", "count went back from 3 to 1", "4s"}
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("back=%v (-want +got):\n%s", back, diff)
		}
	}
}
