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
	"github.com/orrery-sim/orrery/workload/kv"
)

// clockAgent records the clock at each firing; tick re-arms itself.
type clockAgent struct{ Seen []string }

func (a *clockAgent) Start(ctx *sim.Context) {
	ctx.SetTimer("tick", 10*sim.Millisecond)
	ctx.SetTimer("late", 25*sim.Millisecond)
}
func (a *clockAgent) Receive(*sim.Context, sim.NodeID, sim.Message) {}
func (a *clockAgent) Timer(ctx *sim.Context, name string) {
	a.Seen = append(a.Seen, name+"@"+ctx.Now().String())
	if name == "tick" {
		ctx.SetTimer("tick", 10*sim.Millisecond)
	}
}

// Under timed exploration a firing advances the state's clock to the timer's
// deadline, never back (a timer that fires late reads the later clock), a
// re-armed timer gets a new deadline, and one due past TimeMax does not fire.
func TestTimedClock(t *testing.T) {
	setup := func(w *sim.World) (*protocols.Instance, error) {
		w.AddAgent(sim.AgentSpec{Name: "a", New: func() sim.Agent { return &clockAgent{} }})
		return &protocols.Instance{}, nil
	}
	m, err := actors.New(actors.Config{Name: "clock", Setup: setup, TimeMax: 30 * sim.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	s := m.InitStates()[0]
	fire := func(name string) {
		t.Helper()
		for _, a := range m.Actions(s, nil) {
			if a.Kind == actors.Fire && a.Timer == name {
				s, _ = m.NextState(s, a)
				return
			}
		}
		t.Fatalf("timer %s cannot fire", name)
	}
	fire("tick") // clock 10 ms; tick re-armed for 20 ms
	fire("late") // 25 ms
	fire("tick") // due at 20 ms, fires late: the clock stays at 25 ms; re-armed for 35 ms
	if got := m.Actions(s, nil); len(got) != 0 {
		t.Errorf("tick due past TimeMax still fires: %v", got)
	}
	want := "clock 25ms\na: *actors_test.clockAgent&{Seen:[tick@10ms late@25ms tick@25ms]} timers=[tick@35ms]"
	if diff := cmp.Diff(want, m.DescribeState(s)); diff != "" {
		t.Errorf("state (-want +got):\n%s", diff)
	}
	// The same path re-executed as a trace: timers in name order, late first.
	run, err := m.Trace([]int{0, 1, 0, 0})
	if err != nil {
		t.Fatal(err)
	}
	if got := m.DescribeState(run.Final); got != want {
		t.Errorf("re-executed path ends in\n%s\nwant\n%s", got, want)
	}
}

// lastFiring remembers the clock at its last firing; tick re-arms itself.
type lastFiring struct{ At sim.Time }

func (a *lastFiring) Start(ctx *sim.Context)                        { ctx.SetTimer("tick", 10*sim.Millisecond) }
func (a *lastFiring) Receive(*sim.Context, sim.NodeID, sim.Message) {}
func (a *lastFiring) Timer(ctx *sim.Context, _ string) {
	a.At = ctx.Now()
	ctx.SetTimer("tick", 10*sim.Millisecond)
}

// Properties read the state's clock under timed exploration: w.Now() is
// what the agents' handlers read, not 0. With one agent and one timer the
// clock is the last firing's, so "now-is-last-firing" holds in every state;
// "before-20ms" fails once the clock reaches 20 ms, and says so.
func TestTimedPropertiesSeeTheClock(t *testing.T) {
	setup := func(w *sim.World) (*protocols.Instance, error) {
		a := w.AddAgent(sim.AgentSpec{Name: "a", New: func() sim.Agent { return &lastFiring{} }})
		w.AddProperty(sim.Property{Name: "now-is-last-firing", Kind: sim.Always, Check: func(w *sim.World) error {
			if at := w.Agent(a).(*lastFiring).At; w.Now() != at {
				return fmt.Errorf("w.Now()=%v, last firing at %v", w.Now(), at)
			}
			return nil
		}})
		w.AddProperty(sim.Property{Name: "before-20ms", Kind: sim.Always, Check: func(w *sim.World) error {
			if w.Now() >= 20*sim.Millisecond {
				return fmt.Errorf("w.Now()=%v", w.Now())
			}
			return nil
		}})
		return &protocols.Instance{}, nil
	}
	m, err := actors.New(actors.Config{Name: "clock", Setup: setup, TimeMax: 30 * sim.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	r, err := explore.Check(context.Background(), m, explore.Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	if r.Counterexample == nil || r.Counterexample.Property != "before-20ms" {
		t.Fatalf("want before-20ms violated, got %+v", r.Counterexample)
	}
	run, err := m.Trace(r.Counterexample.Choices)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"before-20ms: w.Now()=20ms"}, m.Explain(run.Final)); diff != "" {
		t.Errorf("explanation (-want +got):\n%s", diff)
	}
}

// forgetful serves a key-value register that forgets its value when its
// timer fires: not linearizable, and only once the clock reaches 100 ms.
type forgetful struct {
	Value string
	Set   bool
}

func (f *forgetful) Start(ctx *sim.Context) { ctx.SetTimer("forget", 100*sim.Millisecond) }
func (f *forgetful) Receive(ctx *sim.Context, _ sim.NodeID, m sim.Message) {
	r := m.(sim.Request)
	switch op := r.Payload.(kv.Op); op.Kind {
	case kv.Put:
		f.Value, f.Set = op.Value, true
		ctx.Return(r.ID, kv.Result{})
	case kv.Get:
		ctx.Return(r.ID, kv.Result{Value: f.Value, Found: f.Set})
	}
}
func (f *forgetful) Timer(*sim.Context, string) { f.Value, f.Set = "", false }

// Under timed exploration the history's times stay logical (the clock
// stands still between timers, so it cannot order a request and its
// answer), and the linearizability explanation shows what the clock read
// at each instead of saying there is no clock.
func TestTimedHistoryShowsTheClock(t *testing.T) {
	setup := func(w *sim.World) (*protocols.Instance, error) {
		id := w.AddAgent(sim.AgentSpec{Name: "n1", New: func() sim.Agent { return &forgetful{} }})
		p := kv.Linearizable()
		p.Kind = sim.Always
		w.AddProperty(p)
		return &protocols.Instance{Servers: []sim.NodeID{id}}, nil
	}
	m, err := actors.New(actors.Config{Name: "forgetful", Setup: setup, OrderedHistory: true, TimeMax: 200 * sim.Millisecond,
		Requests: []any{kv.Op{Kind: kv.Put, Key: "a", Value: "1"}, kv.Op{Kind: kv.Get, Key: "a"}}})
	if err != nil {
		t.Fatal(err)
	}
	r, err := explore.Check(context.Background(), m, explore.Options{Workers: 1})
	if err != nil || r.Counterexample == nil {
		t.Fatalf("want a counterexample, got %+v, %v", r, err)
	}
	run, err := m.Trace(r.Counterexample.Choices)
	if err != nil {
		t.Fatal(err)
	}
	want := `2 operations (logical times: tN@C is the history's N-th invocation or return, when the explored clock read C; only timers advance it, so N orders events that share a reading): verdict: illegal
key "a": illegal (2 ops)
  longest linearizable prefix: 1 ops, from initial state {}
     1. #0 client→n1 [t1@0s,t2@0s] put("a", "1")  => {"a": "1"}
  cannot place next:
   !  #1 client→n1 [t3@100ms,t4@100ms] get("a") -> (none): not allowed in state {"a": "1"}; it returned, so it must take effect before anything invoked later`
	if run.Failure != "linearizability" || run.Reason != want {
		t.Errorf("failure %q, reason\n%s\nwant\n%s", run.Failure, run.Reason, want)
	}
}
