package sim_test

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/orrery-sim/orrery/scheduler"
	"github.com/orrery-sim/orrery/sim"
	"github.com/orrery-sim/orrery/traces"
)

// phaser changes its summary every second tick and notes each tick, so that
// its handler emits an event after its own.
type phaser struct{ ticks int }

func (p *phaser) Start(ctx *sim.Context)                        { ctx.SetTimer("tick", 10*sim.Millisecond) }
func (p *phaser) Receive(*sim.Context, sim.NodeID, sim.Message) {}
func (p *phaser) Timer(ctx *sim.Context, _ string) {
	p.ticks++
	ctx.Logf("tick %d", p.ticks)
	ctx.SetTimer("tick", 10*sim.Millisecond)
}
func (p *phaser) Summary() string { return fmt.Sprintf("phase era=%d", p.ticks/2) }

// TestSummariesOnChange: a summary is recorded on the handler's own event
// (not on the note its handler emitted) only where it changed, again after a
// restart, and never changes the trace hash.
func TestSummariesOnChange(t *testing.T) {
	run := func(trace bool) (got []string, hash uint64) {
		w := sim.New(sim.Options{Chooser: scheduler.NewSeeded(1)})
		w.AddAgent(sim.AgentSpec{Name: "p", New: func() sim.Agent { return &phaser{} }})
		if trace {
			w.SetTrace(func(e *traces.Event) {
				if e.Summary != "" {
					got = append(got, fmt.Sprintf("%d %s %s", e.Seq, e.Kind, e.Summary))
				}
			})
		}
		w.At(15*sim.Millisecond, "", func(w *sim.World) { w.Crash("p", sim.LoseUnsynced) })
		w.At(16*sim.Millisecond, "", func(w *sim.World) { w.Restart("p") })
		w.RunUntil(60 * sim.Millisecond)
		w.FlushTrace()
		return got, w.Hash()
	}
	got, traced := run(true)
	// 2 timer (era 0, unchanged), 3 its note, 4 crash, 5 restart, 6 start
	// (era 0 again, recorded: the crash forgot it), 9 and 13 timers.
	want := []string{"1 start phase era=0", "6 start phase era=0", "9 timer phase era=1", "13 timer phase era=2"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("summaries (-want +got):\n%s", diff)
	}
	if _, untraced := run(false); untraced != traced {
		t.Errorf("hash %x with tracing, %x without", traced, untraced)
	}
}
