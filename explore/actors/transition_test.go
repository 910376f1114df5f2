package actors_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/orrery-sim/orrery/explore"
	"github.com/orrery-sim/orrery/explore/actors"
	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/sim"
)

// counter counts its timer firings up to 4; with back set, the third
// firing sets the count back to 1. The count is what a transition property
// watches: it must never go back.
type counter struct {
	n    int
	back bool
}

func (c *counter) Start(ctx *sim.Context)                        { ctx.SetTimer("tick", sim.Second) }
func (c *counter) Receive(*sim.Context, sim.NodeID, sim.Message) {}
func (c *counter) Timer(ctx *sim.Context, _ string) {
	c.n++
	if c.back && c.n == 3 {
		c.n = 1
	}
	if c.n < 4 {
		ctx.SetTimer("tick", sim.Second)
	}
}

func counterSetup(back bool) func(w *sim.World) (*protocols.Instance, error) {
	return func(w *sim.World) (*protocols.Instance, error) {
		for _, name := range []string{"a", "b"} {
			w.AddAgent(sim.AgentSpec{Name: name, New: func() sim.Agent { return &counter{back: back} }})
		}
		w.AddTransition(sim.Transition{
			Name:    "never-back",
			Observe: func(a sim.Agent) any { return a.(*counter).n },
			Check: func(id sim.NodeID, before, after any) error {
				if before != nil && after.(int) < before.(int) {
					return fmt.Errorf("count went back from %d to %d", before, after)
				}
				return nil
			},
		})
		return &protocols.Instance{Servers: []sim.NodeID{0, 1}, Tolerates: 1}, nil
	}
}

// A transition property is judged on every step the search takes: the
// correct agents pass, and the planted step back is found with a shortest
// counterexample that re-executes into a failing trace, with and without
// reduction.
func TestTransitionPropertyExplored(t *testing.T) {
	for _, reduce := range []bool{false, true} {
		for _, back := range []bool{false, true} {
			m, err := actors.New(actors.Config{Name: "counter", Setup: counterSetup(back), Network: actors.Unordered, CrashesMax: 1})
			if err != nil {
				t.Fatal(err)
			}
			r, err := explore.Check(context.Background(), m, explore.Options{Workers: 2, Reduce: reduce})
			if err != nil {
				t.Fatal(err)
			}
			got := countsOf(r)
			want := raftCounts{States: 60, Depth: 11, Status: explore.StatusComplete}
			if back {
				want = raftCounts{States: 19, Depth: 4, Status: explore.StatusViolated, Property: "never-back"}
			}
			got.Generated = 0 // the reduction computes fewer successors
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("reduce=%v back=%v (-want +got):\n%s", reduce, back, diff)
			}
			if !back {
				continue
			}
			run, err := m.Trace(r.Counterexample.Choices)
			if err != nil || run.Failure != "never-back" || run.Reason != "count went back from 2 to 1" {
				t.Errorf("reduce=%v: re-executed counterexample fails %q: %q (%v)", reduce, run.Failure, run.Reason, err)
			}
		}
	}
}
