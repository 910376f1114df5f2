package shrink

import (
	"errors"
	"testing"

	"github.com/orrery-sim/orrery/faults"
	"github.com/orrery-sim/orrery/harness"
	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/scheduler"
	"github.com/orrery-sim/orrery/sim"
)

// beacon pings its peer every 10 ms.
type beacon struct{ peer sim.NodeID }

func (b *beacon) Start(ctx *sim.Context)                        { ctx.SetTimer("ping", 10*sim.Millisecond) }
func (b *beacon) Receive(*sim.Context, sim.NodeID, sim.Message) {}
func (b *beacon) Timer(ctx *sim.Context, _ string) {
	ctx.Send(b.peer, "ping")
	ctx.SetTimer("ping", 10*sim.Millisecond)
}

// watcher times the silences between its peer's pings: a short one (50 to
// 150 ms, a pause) and, after it, one of 200 to 230 ms (a crash of about
// 200 ms) is the failure.
type watcher struct {
	last           sim.Time
	short          bool
	longAfterShort bool
}

func (w *watcher) Start(*sim.Context) {}
func (w *watcher) Receive(ctx *sim.Context, _ sim.NodeID, _ sim.Message) {
	silence := ctx.Now() - w.last
	w.last = ctx.Now()
	switch {
	case silence >= 50*sim.Millisecond && silence < 150*sim.Millisecond:
		w.short = true
	case silence >= 200*sim.Millisecond && silence <= 230*sim.Millisecond && w.short:
		w.longAfterShort = true
	}
}
func (w *watcher) Timer(*sim.Context, string) {}

// silences fails when a crash of about 200 ms follows a pause: the pause
// must come first, but the quiet time between them is no part of the story.
var silences = &protocols.Protocol{
	Name: "silences", Nodes: 1, MinNodes: 1, MaxNodes: 1, Safety: 2 * sim.Second, Liveness: sim.Second,
	Network: sim.NetworkConfig{DelayMin: sim.Millisecond, DelayMax: sim.Millisecond},
	Setup: func(w *sim.World, o protocols.Options) (*protocols.Instance, error) {
		n := w.AddAgent(sim.AgentSpec{Name: "n1", New: func() sim.Agent { return &beacon{peer: 1} }})
		m := w.AddAgent(sim.AgentSpec{Name: "m", New: func() sim.Agent { return &watcher{} }})
		w.AddProperty(sim.Property{Name: "no-long-silence-after-a-short-one", Kind: sim.Always, Check: func(w *sim.World) error {
			if x, _ := w.Agent(m).(*watcher); x != nil && x.longAfterShort {
				return errors.New("a silence of about 200 ms after a short one")
			}
			return nil
		}})
		return &protocols.Instance{Servers: []sim.NodeID{n}, Tolerates: 1}, nil
	},
}

// TestClosedGapsKeepAnEpisodesLength: a crash that must last about 200 ms,
// long after a pause that must come first, moves up to the pause as one
// episode in a search that closes gaps (every other one). Moving its crash
// or its restart alone changes its length by more than the failure allows,
// and the pause at 1 ms keeps the whole plan from moving, so a search that
// does not close gaps moves them a few milliseconds at most.
func TestClosedGapsKeepAnEpisodesLength(t *testing.T) {
	cfg := harness.Config{Impl: silences, Seed: 1, Faults: "at 1ms pause n1 for 60ms; at 1500ms crash n1; at 1700ms restart n1"}
	cur, out, aborted, err := bounded(cfg, scheduler.NewSeeded(cfg.Seed), 0)
	if err != nil || aborted || out.Result.Property != "no-long-silence-after-a-short-one" {
		t.Fatalf("the original run: %v %v %s %s", err, aborted, out.Result.Verdict, out.Result.Property)
	}
	for attempt, wantCrashBy := range []sim.Time{1500 * sim.Millisecond, 80 * sim.Millisecond} {
		s := &shrinker{cur: cur, size: measure(cur, out), proto: silences, spec: cfg.Faults, liveness: sim.Second, early: true,
			want: Signature{Verdict: out.Result.Verdict, Property: out.Result.Property}, opts: Options{RunsMax: 500, Time: -1}, attempt: attempt}
		s.before = s.size
		s.earlierFaults()
		plan, err := faults.ParsePlan(s.cur.Config.Faults)
		if err != nil || len(plan) != 3 {
			t.Fatalf("search %d: plan %q: %v", attempt+1, s.cur.Config.Faults, err)
		}
		t.Logf("search %d: %s", attempt+1, s.cur.Config.Faults)
		crash, restart := plan[1].At, plan[2].At
		if crash > wantCrashBy || crash < wantCrashBy-20*sim.Millisecond || restart-crash < 180*sim.Millisecond {
			t.Errorf("search %d: plan %q: want the crash at about %v, still about 200ms long", attempt+1, s.cur.Config.Faults, wantCrashBy)
		}
	}
}
