package shrink

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/orrery-sim/orrery/harness"
	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/sim"
)

// stepper issues operation 1, 2, ... every 10 ms, each taking 4 ms; it
// honours the operation cap and the skip list (protocols.Options).
type stepper struct {
	opsMax int
	skip   protocols.OpSet
	seq    uint64
	id     sim.OpID
}

func (a *stepper) Start(ctx *sim.Context)                        { ctx.SetTimer("issue", 10*sim.Millisecond) }
func (a *stepper) Receive(*sim.Context, sim.NodeID, sim.Message) {}
func (a *stepper) Timer(ctx *sim.Context, name string) {
	switch name {
	case "issue":
		if a.opsMax > 0 && int(a.seq) >= a.opsMax {
			return
		}
		a.seq++
		if took, skip := a.skip.Skipped(ctx.Name(ctx.Self()), a.seq); skip {
			ctx.SetTimer("issue", took+6*sim.Millisecond)
			return
		}
		a.id = ctx.Invoke(a.seq)
		ctx.SetTimer("done", 4*sim.Millisecond)
	case "done":
		ctx.Return(a.id, a.seq)
		ctx.SetTimer("issue", 6*sim.Millisecond)
	}
}

// late fails at the end of any run whose history holds operation 5 invoked
// at 50 ms or later: a failure that needs the fifth operation, on time.
var late = &protocols.Protocol{
	Name: "late", Nodes: 1, MinNodes: 1, MaxNodes: 1, Clients: 1, Skips: true, Safety: 200 * sim.Millisecond, Liveness: sim.Second,
	Setup: func(w *sim.World, o protocols.Options) (*protocols.Instance, error) {
		n := w.AddAgent(sim.AgentSpec{Name: "n1", New: func() sim.Agent { return &counter{} }})
		w.AddAgent(sim.AgentSpec{Name: "c1", New: func() sim.Agent { return &stepper{opsMax: o.Ops, skip: o.Skip} }})
		w.AddProperty(sim.Property{Name: "no-late-five", Kind: sim.AtEnd, Check: func(w *sim.World) error {
			for _, op := range w.History().Ops {
				if op.Input == uint64(5) && op.Call >= 50*sim.Millisecond {
					return fmt.Errorf("operation 5 invoked at %v", op.Call)
				}
			}
			return nil
		}})
		return &protocols.Instance{Servers: []sim.NodeID{n}}, nil
	},
}

// TestSkipOpsDropsTheOperationsBefore: the failure needs the fifth operation,
// so an operation cap cannot go below five, and the four before it are noise: the
// shrinker leaves them out (Config.Skip), each taking as long as it did, so
// the fifth keeps its time, and the result replays to the same failure with
// that one operation in its history.
func TestSkipOpsDropsTheOperationsBefore(t *testing.T) {
	c, _, err := FromSeed(harness.Config{Impl: late, Seed: 1, Faults: "none"})
	if err != nil {
		t.Fatal(err)
	}
	r, err := Shrink(c, Options{RunsMax: 500, Time: -1})
	if err != nil {
		t.Fatal(err)
	}
	want := "c1#1+4ms,c1#2+4ms,c1#3+4ms,c1#4+4ms"
	if diff := cmp.Diff(want, r.Case.Config.Skip); diff != "" || r.After.Ops != 1 {
		t.Fatalf("%d operations (want 1); skip (-want +got):\n%s", r.After.Ops, diff)
	}
	out, err := r.Case.Run(harness.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if out.Result.Property != "no-late-five" || len(out.World.History().Ops) != 1 {
		t.Errorf("replay: %s with %d operations; want no-late-five with 1", out.Result.Property, len(out.World.History().Ops))
	}
}

// TestSkipNeedsAProtocolThatSkips: a skip list for a protocol whose clients
// do not honour it is refused, not ignored.
func TestSkipNeedsAProtocolThatSkips(t *testing.T) {
	_, _, err := harness.Config{Impl: threshold, Seed: 1, Skip: "c1#1"}.Resolve()
	if err == nil {
		t.Fatal("a skip list for protocol threshold was accepted")
	}
	if _, _, err := (harness.Config{Impl: late, Seed: 1, Skip: "c1#x"}).Resolve(); err == nil {
		t.Fatal(`skip "c1#x" was accepted`)
	}
}
