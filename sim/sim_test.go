package sim_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/orrery-sim/orrery/scheduler"
	"github.com/orrery-sim/orrery/sim"
	"github.com/orrery-sim/orrery/traces"
)

// pinger sends a numbered ping to its peer on every tick and counts pongs; it keeps
// the tick count in storage, synced or not, to show crash semantics.
type pinger struct {
	peer  sim.NodeID
	sync  bool
	got   []int
	ticks int
}

type msgPing struct{ N int }
type msgPong struct{ N int }

func (p *pinger) Start(ctx *sim.Context) {
	if v, ok := ctx.Storage().Get("ticks"); ok {
		fmt.Sscan(string(v), &p.ticks)
	}
	ctx.SetTimer("tick", 10*sim.Millisecond)
}

func (p *pinger) Receive(ctx *sim.Context, from sim.NodeID, msg sim.Message) {
	switch m := msg.(type) {
	case msgPing:
		ctx.Send(from, msgPong(m))
	case msgPong:
		p.got = append(p.got, m.N)
	}
}

func (p *pinger) Timer(ctx *sim.Context, name string) {
	p.ticks++
	ctx.Storage().Put("ticks", []byte(fmt.Sprint(p.ticks)))
	if p.sync {
		ctx.Sync()
	}
	ctx.Send(p.peer, msgPing{p.ticks})
	ctx.SetTimer("tick", 10*sim.Millisecond)
}

func newPair(t *testing.T, seed uint64, sync bool, sink func(*traces.Event)) (*sim.World, []*pinger) {
	t.Helper()
	w := sim.New(sim.Options{Chooser: scheduler.NewSeeded(seed), Network: sim.NetworkConfig{DelayMin: sim.Millisecond, DelayMax: 3 * sim.Millisecond, FIFO: true}})
	var agents []*pinger
	for i := 0; i < 2; i++ {
		peer := sim.NodeID(1 - i)
		w.AddAgent(sim.AgentSpec{Name: fmt.Sprintf("n%d", i+1), New: func() sim.Agent {
			p := &pinger{peer: peer, sync: sync}
			agents = append(agents, p)
			return p
		}})
	}
	if sink != nil {
		w.SetTrace(sink)
	}
	return w, agents
}

func TestPingPongFIFO(t *testing.T) {
	w, agents := newPair(t, 1, true, nil)
	w.RunUntil(105 * sim.Millisecond)
	for _, a := range agents {
		want := make([]int, 0, len(a.got))
		for i := range a.got {
			want = append(want, i+1)
		}
		if diff := cmp.Diff(want, a.got); diff != "" || len(a.got) < 8 {
			t.Fatalf("pongs out of order or missing (-want +got):\n%s", diff)
		}
	}
}

func TestCrashLosesUnsyncedWrites(t *testing.T) {
	for _, sync := range []bool{false, true} {
		w, _ := newPair(t, 1, sync, nil)
		w.RunUntil(55 * sim.Millisecond)
		w.Crash("n1", sim.LoseUnsynced)
		if w.Up(0) || w.Agent(0) != nil {
			t.Fatal("crashed agent still up")
		}
		w.RunUntil(80 * sim.Millisecond)
		w.Restart("n1")
		w.RunUntil(81 * sim.Millisecond)
		got := w.Agent(0).(*pinger).ticks
		want := 0
		if sync {
			want = 5
		}
		if got != want {
			t.Errorf("sync=%v: recovered ticks = %d, want %d", sync, got, want)
		}
	}
}

func TestTraceIsDeterministic(t *testing.T) {
	render := func() string {
		var b strings.Builder
		w, _ := newPair(t, 7, false, func(e *traces.Event) { b.WriteString(e.Desc + "\n") })
		w.RunUntil(50 * sim.Millisecond)
		return b.String()
	}
	a, b := render(), render()
	if a != b || a == "" {
		t.Fatalf("two runs differ:\n%s", cmp.Diff(a, b))
	}
}

func TestAlwaysPropertyStopsRun(t *testing.T) {
	w, _ := newPair(t, 3, true, nil)
	w.AddProperty(sim.Property{Name: "few-ticks", Kind: sim.Always, Check: func(w *sim.World) error {
		if a, ok := w.Agent(0).(*pinger); ok && a.ticks > 3 {
			return errors.New("n1 ticked more than 3 times")
		}
		return nil
	}})
	r := w.Run(sim.Second, sim.Second)
	if r.Verdict != sim.VerdictSafety || r.Property != "few-ticks" || r.At != 40*sim.Millisecond {
		t.Fatalf("got %+v", r)
	}
}

type panicker struct{}

func (panicker) Start(ctx *sim.Context)                        { ctx.SetTimer("boom", sim.Second) }
func (panicker) Receive(*sim.Context, sim.NodeID, sim.Message) {}
func (panicker) Timer(*sim.Context, string)                    { panic("kaboom") }

func TestPanicIsAVerdict(t *testing.T) {
	w := sim.New(sim.Options{Chooser: scheduler.NewSeeded(1)})
	w.AddAgent(sim.AgentSpec{Name: "p", New: func() sim.Agent { return panicker{} }})
	r := w.Run(5*sim.Second, sim.Second)
	if r.Verdict != sim.VerdictPanic || !strings.Contains(r.Reason, "kaboom") || r.At != sim.Second {
		t.Fatalf("got %+v", r)
	}
}

// TestEndAfterJudgesTheEnd: a run ended by EndAfter, in either phase, runs
// no further event, reports no liveness verdict, and judges its AtEnd
// properties over what happened until then. A run whose liveness bound
// passes is judged on its AtEnd properties too, and a safety violation there
// outranks the pending Eventually property.
func TestEndAfterJudgesTheEnd(t *testing.T) {
	type outcome struct {
		Verdict  sim.Verdict
		Property string
		Events   uint64
		Live     bool // ended in the liveness phase
	}
	tests := []struct {
		name       string
		endAfter   uint64
		atEndHolds bool
		want       outcome
	}{
		{"in the safety phase", 10, false, outcome{sim.VerdictSafety, "ticks-at-end", 11, false}},
		{"in the liveness phase", 1000, false, outcome{sim.VerdictSafety, "ticks-at-end", 1001, true}},
		{"no bound: the at-end property fails when the liveness bound passes", 0, false, outcome{Verdict: sim.VerdictSafety, Property: "ticks-at-end"}},
		{"no bound, the at-end property holds: the liveness bound fails", 0, true, outcome{Verdict: sim.VerdictLiveness, Property: "never"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, _ := newPair(t, 3, true, nil)
			w.AddProperty(sim.Property{Name: "never", Kind: sim.Eventually, Check: func(*sim.World) error { return errors.New("not yet") }})
			w.AddProperty(sim.Property{Name: "ticks-at-end", Kind: sim.AtEnd, Check: func(w *sim.World) error {
				if tt.atEndHolds {
					return nil
				}
				return errors.New("judged")
			}})
			w.EndAfter(tt.endAfter)
			r := w.Run(sim.Second, sim.Second)
			got := outcome{r.Verdict, r.Property, r.Events, r.At > sim.Second}
			if tt.endAfter == 0 {
				got.Events, got.Live = 0, false
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Fatalf("(-want +got):\n%s", diff)
			}
		})
	}
}

// lazyErr builds its message when read, and counts the reads.
type lazyErr struct {
	reads *int
	msg   func() string
}

func (e lazyErr) Error() string { *e.reads++; return e.msg() }

// TestEventuallyMessageReadOnce: an Eventually property that never holds is
// checked after every event of the liveness phase, but its error is read
// once, when the run fails on it, and on the state it was checked on: the
// message names the last tick and the time before the engine moves the clock
// to the deadline.
func TestEventuallyMessageReadOnce(t *testing.T) {
	w, _ := newPair(t, 3, true, nil)
	reads, checks := 0, 0
	w.AddProperty(sim.Property{Name: "never", Kind: sim.Eventually, Check: func(w *sim.World) error {
		checks++
		return lazyErr{reads: &reads, msg: func() string { return fmt.Sprintf("n1 ticked %d times by %v", w.Agent(0).(*pinger).ticks, w.Now()) }}
	}})
	r := w.Run(100*sim.Millisecond, 100*sim.Millisecond)
	if r.Verdict != sim.VerdictLiveness || reads != 1 || checks < 10 {
		t.Fatalf("verdict %v, %d checks, %d reads of the message: want a liveness failure, many checks, one read", r.Verdict, checks, reads)
	}
	if want := "n1 ticked 20 times by 200ms"; !strings.Contains(r.Reason, want) {
		t.Errorf("message %q: want it to say %q", r.Reason, want)
	}
}
