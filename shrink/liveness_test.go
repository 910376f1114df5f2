package shrink

import (
	"fmt"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/orrery-sim/orrery/harness"
	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/sim"
)

// waiter ticks every 5 ms and never gets done; its summary shows its ticks
// only when counting says so.
type waiter struct {
	counting bool
	ticks    int
}

func (a *waiter) Start(ctx *sim.Context)                        { ctx.SetTimer("tick", 5*sim.Millisecond) }
func (a *waiter) Receive(*sim.Context, sim.NodeID, sim.Message) {}
func (a *waiter) Timer(ctx *sim.Context, _ string) {
	a.ticks++
	ctx.SetTimer("tick", 5*sim.Millisecond)
}

func (a *waiter) Summary() string {
	if a.counting {
		return "waiting ticks=" + strconv.Itoa(a.ticks)
	}
	return "waiting"
}

// never returns a protocol of one server whose Eventually property never
// holds: stuck in one state (counting false), or with a state that moves on
// at every tick (counting true) and so never shows where it stays.
func never(counting bool) *protocols.Protocol {
	return &protocols.Protocol{
		Name: "never", Nodes: 1, MinNodes: 1, MaxNodes: 1, Safety: 100 * sim.Millisecond, Liveness: sim.Second,
		Setup: func(w *sim.World, o protocols.Options) (*protocols.Instance, error) {
			id := w.AddAgent(sim.AgentSpec{Name: "n1", New: func() sim.Agent { return &waiter{counting: counting} }})
			w.AddProperty(sim.Property{Name: "done", Kind: sim.Eventually, Check: func(w *sim.World) error {
				return fmt.Errorf("n1 is not done")
			}})
			return &protocols.Instance{Servers: []sim.NodeID{id}}, nil
		},
	}
}

// TestLivenessBoundShrinks: a liveness failure's bound is lowered only as far
// as the same run, its bound lengthened back, still fails with every server
// ending as the short run's does. A server stuck in one state lets it fall
// to the shortest bound, and the result fails with the original bound too; a
// server whose state moves on at every tick never shows the state it stays
// in, so its bound stays.
func TestLivenessBoundShrinks(t *testing.T) {
	tests := []struct {
		counting bool
		want     sim.Time
	}{
		{counting: false, want: sim.Millisecond},
		{counting: true, want: sim.Second},
	}
	for _, tt := range tests {
		c, _, err := FromSeed(harness.Config{Impl: never(tt.counting), Seed: 1, Faults: "none"})
		if err != nil {
			t.Fatal(err)
		}
		r, err := Shrink(c, Options{RunsMax: 300, Time: -1})
		if err != nil {
			t.Fatal(err)
		}
		if r.Failure.Verdict != sim.VerdictLiveness || r.After.Liveness != tt.want || r.Before.Liveness != sim.Second {
			t.Errorf("counting %v: %v, liveness bound %v → %v; want %v", tt.counting, r.Failure, r.Before.Liveness, r.After.Liveness, tt.want)
		}
		long := r.Case
		long.Config.Liveness = r.Before.Liveness
		out, err := long.Run(harness.RunOptions{})
		if err != nil {
			t.Fatal(err)
		}
		got := Signature{Verdict: out.Result.Verdict, Property: out.Result.Property}
		if diff := cmp.Diff(r.Failure, got); diff != "" || out.Result.At-r.Case.Config.Safety < sim.Second {
			t.Errorf("counting %v: the result with the original bound fails at %v (-want +got):\n%s", tt.counting, out.Result.At, diff)
		}
	}
}
