package shrink

import (
	"errors"
	"slices"
	"testing"

	"github.com/orrery-sim/orrery/harness"
	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/scheduler"
	"github.com/orrery-sim/orrery/sim"
)

// racer waits a random 0 to 100 ms, then tells n1 it is there and, if it is
// a chatterer, sends n1 five more messages.
type racer struct {
	target  sim.NodeID
	chatter bool
}

func (r racer) Start(ctx *sim.Context)                        { ctx.SetTimer("go", ctx.RandTime(0, 100*sim.Millisecond)) }
func (r racer) Receive(*sim.Context, sim.NodeID, sim.Message) {}
func (r racer) Timer(ctx *sim.Context, _ string) {
	ctx.Send(r.target, "here")
	if r.chatter {
		for range 5 {
			ctx.Send(r.target, "chatter")
		}
	}
}

// finish notes when the message it waits for arrives.
type finish struct {
	from    sim.NodeID
	arrived bool
}

func (f *finish) Start(*sim.Context) {}
func (f *finish) Receive(_ *sim.Context, from sim.NodeID, m sim.Message) {
	f.arrived = f.arrived || (from == f.from && m == "here")
}
func (f *finish) Timer(*sim.Context, string) {}

// race fails once n3 reaches n1. n2 starts at the same moment and chatters:
// its timer, if it fires first, adds its messages to the story.
var race = &protocols.Protocol{
	Name: "race", Nodes: 3, MinNodes: 3, MaxNodes: 3, Safety: sim.Second, Liveness: sim.Second,
	Network: sim.NetworkConfig{DelayMin: sim.Millisecond, DelayMax: 5 * sim.Millisecond},
	Setup: func(w *sim.World, o protocols.Options) (*protocols.Instance, error) {
		n1 := w.AddAgent(sim.AgentSpec{Name: "n1", New: func() sim.Agent { return &finish{from: 2} }})
		n2 := w.AddAgent(sim.AgentSpec{Name: "n2", New: func() sim.Agent { return racer{target: n1, chatter: true} }})
		n3 := w.AddAgent(sim.AgentSpec{Name: "n3", New: func() sim.Agent { return racer{target: n1} }})
		w.AddProperty(sim.Property{Name: "n3-never-arrives", Kind: sim.Always, Check: func(w *sim.World) error {
			if w.Agent(n1).(*finish).arrived {
				return errors.New("n3 arrived")
			}
			return nil
		}})
		return &protocols.Instance{Servers: []sim.NodeID{n1, n2, n3}}, nil
	},
}

// TestFarChoicesTakeTimersOutOfTheStory: in the case to shrink every choice
// is the simplest, so n2 and n3 fire at 0 ms and n2's six messages arrive
// before n3's. No simplification can take them out (they are the simplest
// already); n2's timer pushed to its far end (100 ms, after the failure at
// 1 ms) does. The story is then n1, n2 and n3 starting, n3's timer, its
// message, and the failure: 6 events instead of 13 (n2's timer and six
// deliveries).
func TestFarChoicesTakeTimersOutOfTheStory(t *testing.T) {
	c, _, err := FromSeed(harness.Config{Impl: race, Seed: 1, Faults: "none"})
	if err != nil {
		t.Fatal(err)
	}
	c.Choices = slices.Clone(c.Choices)
	for i := range c.Choices {
		c.Choices[i].Value = scheduler.Simplest(c.Choices[i].Purpose, c.Choices[i].N)
	}
	c.keys, c.times = nil, nil
	before, err := c.Run(harness.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := before.Result.Events; got != 13 {
		t.Fatalf("the case to shrink has %d events, want 13 (n2 chatters before the failure)", got)
	}
	r, err := Shrink(c, Options{RunsMax: 2000, Time: -1})
	if err != nil {
		t.Fatal(err)
	}
	if r.After.Events != 6 {
		t.Errorf("shrunk to %d events (choices %v), want 6: n2's timer after the failure", r.After.Events, r.Case.Choices)
	}
}

// drawn ticks every 10 ms and fails once it has ticked a number of times
// it drew at its start, 3 to 8: a fresh seed's failure takes 5 to 10 events.
type drawn struct{ ticks, want int }

func (d *drawn) Start(ctx *sim.Context) {
	d.want = 3 + int(ctx.Rand(6))
	ctx.SetTimer("tick", 10*sim.Millisecond)
}
func (d *drawn) Receive(*sim.Context, sim.NodeID, sim.Message) {}
func (d *drawn) Timer(ctx *sim.Context, _ string) {
	d.ticks++
	ctx.SetTimer("tick", 10*sim.Millisecond)
}

var drawing = &protocols.Protocol{
	Name: "drawing", Nodes: 1, MinNodes: 1, MaxNodes: 1, Safety: sim.Second, Liveness: sim.Second,
	Setup: func(w *sim.World, o protocols.Options) (*protocols.Instance, error) {
		n1 := w.AddAgent(sim.AgentSpec{Name: "n1", New: func() sim.Agent { return &drawn{} }})
		w.AddProperty(sim.Property{Name: "few-ticks", Kind: sim.Always, Check: func(w *sim.World) error {
			if d := w.Agent(n1).(*drawn); d.want > 0 && d.ticks >= d.want {
				return errors.New("ticked as often as drawn")
			}
			return nil
		}})
		return &protocols.Instance{Servers: []sim.NodeID{n1}}, nil
	},
}

// TestSweepGoesOnFromANearStory: when a sweep finds no failure shorter than
// the current one (here a story of 4 events, which no fresh seed can tell:
// the shortest takes 5), it goes on from the shortest it found that is at
// most a quarter longer, a fresh basin for local search (search keeps the
// best either way). Without going on, the sweep finds nothing and leaves
// the case as it was.
func TestSweepGoesOnFromANearStory(t *testing.T) {
	cfg := harness.Config{Impl: drawing, Seed: 1, Faults: "none"}
	cur, out, aborted, err := bounded(cfg, scheduler.NewSeeded(cfg.Seed), 0)
	if err != nil || aborted || !out.Result.Failed() {
		t.Fatal(err, aborted, out.Result)
	}
	for _, goOn := range []bool{false, true} {
		s := &shrinker{cur: cur, size: measure(cur, out), proto: drawing, spec: "none", liveness: sim.Second, early: true,
			want: Signature{Verdict: out.Result.Verdict, Property: out.Result.Property}, opts: Options{RunsMax: 400, Time: -1}}
		s.size.Events = 4
		found, restarted := s.sweep(goOn)
		if found || restarted != goOn {
			t.Fatalf("go on %v: found %v, went on %v", goOn, found, restarted)
		}
		if !goOn {
			if s.cur.Config.Seed != cur.Config.Seed || s.size.Events != 4 {
				t.Errorf("a sweep that does not go on moved the case to seed %d, %d events", s.cur.Config.Seed, s.size.Events)
			}
			continue
		}
		if s.size.Events != 5 || s.cur.Config.Seed == cur.Config.Seed {
			t.Errorf("went on from seed %d, %d events; want a fresh seed's 5", s.cur.Config.Seed, s.size.Events)
		}
	}
}
