package actors_test

import (
	"context"
	"testing"
	"time"

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
// every step, not every 1,024 events, so an invariant that costs two
// milliseconds a state (a linearizability check can) no longer carries it
// seconds past the deadline.
func TestDPORTimeoutStopsPromptly(t *testing.T) {
	setup := func(w *sim.World) (*protocols.Instance, error) {
		w.AddAgent(sim.AgentSpec{Name: "sink", New: func() sim.Agent { return &tickCounter{} }})
		for _, name := range []string{"a", "b", "c"} {
			w.AddAgent(sim.AgentSpec{Name: name, New: func() sim.Agent { return ticker{} }})
		}
		w.AddProperty(sim.Property{Name: "slow", Kind: sim.Always, Check: func(*sim.World) error {
			time.Sleep(2 * time.Millisecond)
			return nil
		}})
		return &protocols.Instance{}, nil
	}
	m, err := actors.New(actors.Config{Name: "ticks", Setup: setup, InFlightMax: 3})
	if err != nil {
		t.Fatal(err)
	}
	const timeout, slack = 100 * time.Millisecond, 500 * time.Millisecond
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	start := time.Now()
	r, err := m.DPOR(ctx, actors.DPOROptions{DepthMax: 40})
	elapsed := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != explore.StatusLimit || r.Limit != "timeout" {
		t.Errorf("status %s limit %q, want limit timeout", r.Status, r.Limit)
	}
	if elapsed > timeout+slack {
		t.Errorf("stopped %v after the %v timeout, want within %v", elapsed-timeout, timeout, slack)
	}
}
