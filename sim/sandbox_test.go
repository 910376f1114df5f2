package sim_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/orrery-sim/orrery/scheduler"
	"github.com/orrery-sim/orrery/sim"
)

// echo answers every message, remembers the last one durably only when told
// to sync, and panics on "boom".
type echo struct{ last string }

func (e *echo) Start(ctx *sim.Context) { ctx.SetTimer("tick", sim.Second) }
func (e *echo) Receive(ctx *sim.Context, from sim.NodeID, m sim.Message) {
	s := m.(string)
	if s == "boom" {
		panic("boom")
	}
	e.last = s
	ctx.Storage().Put("last", []byte(s))
	if s == "sync" {
		ctx.Sync()
	}
	ctx.Send(from, "re:"+s)
	ctx.CancelTimer("tick")
}
func (e *echo) Timer(*sim.Context, string) {}

func TestSandboxRunsHandlersAndShowsStates(t *testing.T) {
	w := sim.New(sim.Options{Chooser: scheduler.Zero{}})
	a := w.AddAgent(sim.AgentSpec{Name: "a", New: func() sim.Agent { return &echo{} }})
	w.AddAgent(sim.AgentSpec{Name: "b", New: func() sim.Agent { return &echo{} }})
	w.AddProperty(sim.Property{Name: "not-x", Kind: sim.Always, Check: func(w *sim.World) error {
		if e, ok := w.Agent(a).(*echo); ok && e.last == "x" {
			return errors.New("a saw x")
		}
		return nil
	}})
	sb := sim.NewSandbox(w)
	var history sim.History

	start := sb.Run(sim.Call{Kind: sim.CallStart, Node: a}, nil, sim.NewStorage(), &history)
	if diff := cmp.Diff([]sim.Effect{{Kind: sim.EffectSetTimer, Timer: "tick", After: sim.Second}}, start.Effects); diff != "" {
		t.Errorf("start effects (-want +got):\n%s", diff)
	}
	agent, storage := start.Agent, sim.NewStorage()
	out := sb.Run(sim.Call{Kind: sim.CallReceive, Node: a, From: 1, Msg: "x"}, agent, storage, &history)
	want := []sim.Effect{{Kind: sim.EffectSend, To: 1, Msg: "re:x"}, {Kind: sim.EffectCancelTimer, Timer: "tick"}}
	if diff := cmp.Diff(want, out.Effects); diff != "" || out.Panic != "" {
		t.Errorf("receive effects (-want +got):\n%s panic %q", diff, out.Panic)
	}
	if storage.Unsynced() != 1 || storage.Crashed().Len() != 0 {
		t.Errorf("unsynced %d, after a crash %d keys; want 1 and 0", storage.Unsynced(), storage.Crashed().Len())
	}
	if out := sb.Run(sim.Call{Kind: sim.CallReceive, Node: a, From: 1, Msg: "boom"}, agent, storage, &history); out.Panic != "boom" {
		t.Errorf("panic %q, want boom", out.Panic)
	}
	sb.Show([]sim.Agent{agent, nil}, []*sim.Storage{storage, sim.NewStorage()}, &history, 0)
	if err := sb.Check(w.Properties()[0]); err == nil || w.Up(1) {
		t.Errorf("shown state: property error %v, b up %v; want a violation and b down", err, w.Up(1))
	}
}

// lastSeen is an error whose message reads agent a's state when read.
type lastSeen struct{ e *echo }

func (l lastSeen) Error() string { return "a saw " + l.e.last }

// TestSandboxReadsTheMessageOnTheStateChecked: a property's message may be
// built when read (sim.Property); the sandbox shows another state later, so
// Check reads it on the state checked.
func TestSandboxReadsTheMessageOnTheStateChecked(t *testing.T) {
	w := sim.New(sim.Options{Chooser: scheduler.Zero{}})
	w.AddAgent(sim.AgentSpec{Name: "a", New: func() sim.Agent { return &echo{} }})
	p := sim.Property{Name: "saw-nothing", Kind: sim.Eventually, Check: func(w *sim.World) error {
		if e, ok := w.Agent(0).(*echo); ok && e.last != "" {
			return lastSeen{e}
		}
		return nil
	}}
	w.AddProperty(p)
	sb := sim.NewSandbox(w)
	var history sim.History
	shown := &echo{last: "x"}
	sb.Show([]sim.Agent{shown}, []*sim.Storage{sim.NewStorage()}, &history, 0)
	err := sb.Check(p)
	shown.last = "y" // the agent moves on, as a sandbox's agents do
	var l lastSeen
	if err == nil || err.Error() != "a saw x" || !errors.As(err, &l) {
		t.Errorf("error %v: want the message of the state checked, a saw x, and the property's own error inside", err)
	}
}
