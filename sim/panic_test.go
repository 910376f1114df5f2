package sim_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/orrery-sim/orrery/scheduler"
	"github.com/orrery-sim/orrery/sim"
	"github.com/orrery-sim/orrery/traces"
)

// TestPanicsAnywhereInAStepAreVerdicts: a panic in a property's Check of any
// kind, in a liveness hook, in an action or in an engine assertion (the
// events-per-run bound) ends the run with a Panic verdict naming where, and
// never escapes Run.
func TestPanicsAnywhereInAStepAreVerdicts(t *testing.T) {
	boom := func(*sim.World) error { panic("boom") }
	pending := func(*sim.World) error { return errors.New("not yet") }
	tests := []struct {
		name   string
		limits sim.Limits
		setup  func(w *sim.World)
		reason string
	}{
		{"always", sim.Limits{}, func(w *sim.World) {
			w.AddProperty(sim.Property{Name: "a", Kind: sim.Always, Check: boom})
		}, "property a: boom"},
		{"sometimes", sim.Limits{}, func(w *sim.World) {
			w.AddProperty(sim.Property{Name: "s", Kind: sim.Sometimes, Check: boom})
		}, "property s: boom"},
		{"eventually", sim.Limits{}, func(w *sim.World) {
			w.AddProperty(sim.Property{Name: "e", Kind: sim.Eventually, Check: boom})
		}, "property e: boom"},
		{"at-end", sim.Limits{}, func(w *sim.World) {
			w.AddProperty(sim.Property{Name: "end", Kind: sim.AtEnd, Check: boom})
		}, "property end: boom"},
		{"liveness hook", sim.Limits{}, func(w *sim.World) {
			w.AddProperty(sim.Property{Name: "e", Kind: sim.Eventually, Check: pending})
			w.OnLiveness(func(*sim.World) { panic("heal failed") })
		}, "engine: heal failed"},
		{"action", sim.Limits{}, func(w *sim.World) {
			w.At(20*sim.Millisecond, "", func(*sim.World) { panic("bad action") })
		}, "action: bad action"},
		{"events bound", sim.Limits{EventsMax: 10}, func(*sim.World) {}, "engine: assertion failed: more than 10 events in one run"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, tracing := range []bool{false, true} {
				w := sim.New(sim.Options{Chooser: scheduler.NewSeeded(1), Limits: tt.limits})
				for i := 0; i < 2; i++ {
					peer := sim.NodeID(1 - i)
					w.AddAgent(sim.AgentSpec{Name: []string{"n1", "n2"}[i], New: func() sim.Agent { return &pinger{peer: peer} }})
				}
				var events []traces.Event
				if tracing {
					w.SetTrace(func(e *traces.Event) { events = append(events, *e) })
				}
				tt.setup(w)
				r := w.Run(sim.Second, sim.Second)
				if diff := cmp.Diff([]string{"panic", "panic", tt.reason}, []string{r.Verdict.String(), r.Property, r.Reason}); diff != "" {
					t.Errorf("tracing %v (-want +got):\n%s", tracing, diff)
				}
				if r.Stack == "" {
					t.Errorf("tracing %v: no stack", tracing)
				}
				if tracing && (len(events) == 0 || events[len(events)-1].Kind != traces.KindFail) {
					t.Errorf("the trace does not end with the failure")
				}
			}
		})
	}
}

// TestTraceSinkPanicIsTheCallers: a panic raised by the trace sink (a caller
// aborting the run) is not the run's verdict; it goes on up.
func TestTraceSinkPanicIsTheCallers(t *testing.T) {
	type abort struct{}
	w, _ := newPair(t, 1, true, func(e *traces.Event) {
		if e.Seq == 5 {
			panic(abort{})
		}
	})
	defer func() {
		if _, ok := recover().(abort); !ok {
			t.Fatalf("the sink's panic did not reach the caller")
		}
	}()
	w.Run(sim.Second, sim.Second)
	t.Fatalf("Run returned")
}

// TestStopAfterKeepsThePhases: a run stopped after event n ran the same
// events as the whole run up to n, through the liveness phase and its heal,
// and stops after the step that emitted event n.
func TestStopAfterKeepsThePhases(t *testing.T) {
	run := func(stop uint64) ([]traces.Event, sim.Result) {
		var events []traces.Event
		w, _ := newPair(t, 2, true, func(e *traces.Event) { events = append(events, *e) })
		w.AddProperty(sim.Property{Name: "e", Kind: sim.Eventually, Check: func(w *sim.World) error {
			if w.Now() < 1500*sim.Millisecond {
				return errors.New("not yet")
			}
			return nil
		}})
		w.StopAfter(stop)
		return events, w.Run(sim.Second, sim.Second)
	}
	all, whole := run(0)
	phase := -1
	for i, e := range all {
		if e.Kind == traces.KindPhase {
			phase = i
		}
	}
	if phase < 0 {
		t.Fatalf("no liveness phase in %d events", len(all))
	}
	for _, n := range []uint64{1, uint64(phase), uint64(phase + 1), uint64(phase + 3), whole.Events} {
		got, r := run(n)
		if r.Events < n || r.Events > n+2 {
			t.Errorf("stop after %d: ran %d events", n, r.Events)
		}
		if diff := cmp.Diff(all[:r.Events], got); diff != "" {
			t.Errorf("stop after %d: events differ from the whole run (-whole +stopped):\n%s", n, diff)
		}
	}
}

// crasher panics on its first timer, with a runtime error or a value.
type crasher struct{ index bool }

func (c *crasher) Start(ctx *sim.Context)                        { ctx.SetTimer("t", sim.Millisecond) }
func (c *crasher) Receive(*sim.Context, sim.NodeID, sim.Message) {}
func (c *crasher) Timer(*sim.Context, string) {
	if c.index {
		var s []int
		_ = s[len(s)] // index out of range: the runtime's helpers panic for it
	}
	panic("boom")
}

// TestPanicSiteNamesTheAgentsCode: the site of an agent's panic is its own
// function and file:line, past the runtime's frames.
func TestPanicSiteNamesTheAgentsCode(t *testing.T) {
	for _, index := range []bool{false, true} {
		w := sim.New(sim.Options{Chooser: scheduler.NewSeeded(1)})
		w.AddAgent(sim.AgentSpec{Name: "n1", New: func() sim.Agent { return &crasher{index: index} }})
		r := w.Run(sim.Second, sim.Second)
		site := r.PanicSite()
		if !strings.HasPrefix(site, "sim_test.(*crasher).Timer (sim/panic_test.go:") {
			t.Errorf("index %v: site %q, want sim_test.(*crasher).Timer (sim/panic_test.go:N); stack:\n%s", index, site, r.Stack)
		}
	}
	if site := (&sim.Result{Stack: "goroutine 1 [running]:\nmain.main()\n"}).PanicSite(); site != "" {
		t.Errorf("a stack without a panic: site %q", site)
	}
}
