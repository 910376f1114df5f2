package shrink

import (
	"fmt"
	"testing"

	"github.com/orrery-sim/orrery/faults"
	"github.com/orrery-sim/orrery/harness"
	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/sim"
)

// stamp is a message that carries when it was sent.
type stamp struct{ Sent sim.Time }

// pinger sends its peer a stamp every 10 ms; the peer keeps the slowest
// delivery it saw.
type pinger struct {
	peer    sim.NodeID
	slowest sim.Time
}

func (a *pinger) Start(ctx *sim.Context) { ctx.SetTimer("ping", 10*sim.Millisecond) }
func (a *pinger) Receive(ctx *sim.Context, _ sim.NodeID, m sim.Message) {
	a.slowest = max(a.slowest, ctx.Now()-m.(stamp).Sent)
}
func (a *pinger) Timer(ctx *sim.Context, _ string) {
	ctx.Send(a.peer, stamp{Sent: ctx.Now()})
	ctx.SetTimer("ping", 10*sim.Millisecond)
}

// prompt fails once a message between its two servers takes 30 ms or more.
var prompt = &protocols.Protocol{
	Name: "prompt", Nodes: 2, MinNodes: 2, MaxNodes: 2, Safety: sim.Second, Liveness: sim.Second,
	Setup: func(w *sim.World, o protocols.Options) (*protocols.Instance, error) {
		a := w.AddAgent(sim.AgentSpec{Name: "n1", New: func() sim.Agent { return &pinger{peer: 1} }})
		b := w.AddAgent(sim.AgentSpec{Name: "n2", New: func() sim.Agent { return &pinger{peer: 0} }})
		w.AddProperty(sim.Property{Name: "prompt", Kind: sim.Always, Check: func(w *sim.World) error {
			for _, id := range []sim.NodeID{a, b} {
				if p, _ := w.Agent(id).(*pinger); p != nil && p.slowest >= 30*sim.Millisecond {
					return fmt.Errorf("%s saw a message take %v", w.Name(id), p.slowest)
				}
			}
			return nil
		}})
		return &protocols.Instance{Servers: []sim.NodeID{a, b}}, nil
	},
}

// TestShorterFaults: a spike far longer and larger than the failure needs is
// cut to about the extra delay that makes a message late (30 ms, less the
// network's delay) and about the duration that still delays one (pings go
// every 10 ms).
func TestShorterFaults(t *testing.T) {
	c, _, err := FromSeed(harness.Config{Impl: prompt, Seed: 1, Faults: "at 100ms spike n1 -> n2 400ms for 500ms"})
	if err != nil {
		t.Fatal(err)
	}
	r, err := Shrink(c, Options{RunsMax: 2000, Time: -1})
	if err != nil {
		t.Fatal(err)
	}
	plan, err := faults.ParsePlan(r.Case.Config.Faults)
	if err != nil || len(plan) != 1 {
		t.Fatalf("plan %q: %v", r.Case.Config.Faults, err)
	}
	if f := plan[0].Fault; f.Delay > 29*sim.Millisecond || f.For > 30*sim.Millisecond {
		t.Errorf("spike shrunk to %v extra for %v (%s); want at most 29ms for 30ms", f.Delay, f.For, r.Case.Config.Faults)
	}
}
