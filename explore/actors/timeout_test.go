package actors_test

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/orrery-sim/orrery/explore"
	"github.com/orrery-sim/orrery/explore/actors"
	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/sim"
)

// ticker sends a tick to agent 0 each time its timer fires, for ever.
type ticker struct{}

func (ticker) Start(ctx *sim.Context)                        { ctx.SetTimer("tick", sim.Millisecond) }
func (ticker) Receive(*sim.Context, sim.NodeID, sim.Message) {}
func (ticker) Timer(ctx *sim.Context, _ string) {
	ctx.Send(0, "tick")
	ctx.SetTimer("tick", sim.Millisecond)
}

// tickCounter counts the ticks it receives.
type tickCounter struct{ N int }

func (c *tickCounter) Start(*sim.Context)                            {}
func (c *tickCounter) Receive(*sim.Context, sim.NodeID, sim.Message) { c.N++ }
func (c *tickCounter) Timer(*sim.Context, string)                    {}

// TestDPORTimeoutStopsPromptly: the stateless search polls the timeout
// every step, not every 1,024 events, so an invariant that is dear to check
// (a linearizability check can cost milliseconds) no longer carries it
// seconds past the deadline. The deadline is a cancellation at a counted
// check, so the test counts checks, not wall time.
func TestDPORTimeoutStopsPromptly(t *testing.T) {
	const cancelAt, checksAfterMax = 100, 16
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var checks atomic.Int64
	setup := func(w *sim.World) (*protocols.Instance, error) {
		w.AddAgent(sim.AgentSpec{Name: "sink", New: func() sim.Agent { return &tickCounter{} }})
		for _, name := range []string{"a", "b", "c"} {
			w.AddAgent(sim.AgentSpec{Name: name, New: func() sim.Agent { return ticker{} }})
		}
		w.AddProperty(sim.Property{Name: "counted", Kind: sim.Always, Check: func(*sim.World) error {
			if checks.Add(1) == cancelAt {
				cancel()
			}
			return nil
		}})
		return &protocols.Instance{}, nil
	}
	m, err := actors.New(actors.Config{Name: "ticks", Setup: setup, InFlightMax: 3})
	if err != nil {
		t.Fatal(err)
	}
	r, err := m.DPOR(ctx, actors.DPOROptions{DepthMax: 40})
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != explore.StatusLimit || r.Limit != "timeout" {
		t.Errorf("status %s limit %q, want limit timeout", r.Status, r.Limit)
	}
	if after := checks.Load() - cancelAt; after > checksAfterMax {
		t.Errorf("checked %d states after the deadline, want at most %d", after, checksAfterMax)
	}
}
