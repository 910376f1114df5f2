package actors_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/orrery-sim/orrery/explore/actors"
	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/sim"
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
