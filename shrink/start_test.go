package shrink

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/orrery-sim/orrery/faults"
	"github.com/orrery-sim/orrery/harness"
	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/scheduler"
	"github.com/orrery-sim/orrery/sim"
	"github.com/orrery-sim/orrery/traces"
)

// gate answers "no" to every question before 100 ms and "yes" from then on.
type gate struct{}

func (gate) Start(*sim.Context) {}
func (gate) Receive(ctx *sim.Context, from sim.NodeID, _ sim.Message) {
	ctx.Send(from, ctx.Now() >= 100*sim.Millisecond)
}
func (gate) Timer(*sim.Context, string) {}

// asker asks n1 every 5 ms until it says yes, then invokes and completes one
// operation: a client waiting for its cluster, as one waits for a leader.
type asker struct{ server sim.NodeID }

func (a asker) Start(ctx *sim.Context) { ctx.Send(a.server, "ready?") }
func (a asker) Receive(ctx *sim.Context, _ sim.NodeID, m sim.Message) {
	if m == true {
		ctx.Return(ctx.Invoke("op"), "done")
		return
	}
	ctx.SetTimer("retry", 5*sim.Millisecond)
}
func (a asker) Timer(ctx *sim.Context, _ string) { ctx.Send(a.server, "ready?") }

// waiting fails at the end of a run in which an operation completed.
var waiting = &protocols.Protocol{
	Name: "waiting", Nodes: 1, MinNodes: 1, MaxNodes: 1, Clients: 1, Safety: 300 * sim.Millisecond, Liveness: sim.Second,
	Network: sim.NetworkConfig{DelayMin: sim.Millisecond, DelayMax: sim.Millisecond},
	Setup: func(w *sim.World, o protocols.Options) (*protocols.Instance, error) {
		n := w.AddAgent(sim.AgentSpec{Name: "n1", New: func() sim.Agent { return gate{} }})
		w.AddAgent(sim.AgentSpec{Name: "c1", New: func() sim.Agent { return asker{server: n} }})
		w.AddProperty(sim.Property{Name: "nothing-done", Kind: sim.AtEnd, Check: func(w *sim.World) error {
			if len(w.History().Ops) > 0 {
				return errors.New("an operation completed")
			}
			return nil
		}})
		return &protocols.Instance{Servers: []sim.NodeID{n}}, nil
	},
}

// TestLaterClientsCutTheWait: the client asks again and again before the
// server is ready at 100 ms; the shrinker starts it late (at 106 ms, a
// point of its grid, where its first question gets the yes), and the run
// tells the same failure in 7 events instead of 53: the client's start,
// question, answer, operation, and the failure. The result replays with
// the start in its config.
func TestLaterClientsCutTheWait(t *testing.T) {
	c, out, err := FromSeed(harness.Config{Impl: waiting, Seed: 1, Faults: "none"})
	if err != nil {
		t.Fatal(err)
	}
	if out.Result.Property != "nothing-done" {
		t.Fatalf("the original run: %s, want nothing-done", out.Result.Property)
	}
	r, err := Shrink(c, Options{RunsMax: 300, Time: -1})
	if err != nil {
		t.Fatal(err)
	}
	type got struct {
		StartAt        string
		Before, Events uint64
	}
	want := got{StartAt: "c1=106ms", Before: 53, Events: 7}
	if diff := cmp.Diff(want, got{r.Case.Config.StartAt, r.Before.Events, r.After.Events}); diff != "" {
		t.Fatalf("(-want +got):\n%s", diff)
	}
	replay, err := r.Case.Run(harness.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if replay.Result.Property != "nothing-done" || replay.Result.Events != r.After.Events {
		t.Errorf("replay: %s in %d events; want nothing-done in %d", replay.Result.Property, replay.Result.Events, r.After.Events)
	}
}

// TestStartsFitTheCase: a start or a skipped operation of an agent the case
// no longer has, or a start past its safety phase, is dropped before a
// candidate runs, instead of making the candidate an error.
func TestStartsFitTheCase(t *testing.T) {
	c := Case{Config: harness.Config{Impl: waiting, Seed: 1, Faults: "none", StartAt: "c1=50ms,c2=10ms", Safety: 40 * sim.Millisecond}}
	if got := fitClients(c).Config.StartAt; got != "" {
		t.Errorf("start-at %q, want none: c2 does not exist and c1 starts after the safety phase", got)
	}
	c.Config.Safety = 0 // the protocol's 300 ms
	if got := fitClients(c).Config.StartAt; got != "c1=50ms" {
		t.Errorf("start-at %q, want c1=50ms", got)
	}
	c.Config.StartAt, c.Config.Skip = "", "c1#2,c2#1,n1#1"
	if got := fitClients(c).Config.Skip; got != "c1#2" {
		t.Errorf("skip %q, want c1#2: c2 does not exist and n1 is a server", got)
	}
}

// retrier invokes its operation at once and sends it to n1 every 5 ms until
// n1 says yes: a client that starts before its cluster can serve it.
type retrier struct{ server sim.NodeID }

func (r *retrier) Start(ctx *sim.Context) {
	ctx.Invoke("op")
	ctx.Send(r.server, "ready?")
}
func (r *retrier) Receive(ctx *sim.Context, _ sim.NodeID, m sim.Message) {
	if m == true {
		ctx.Return(sim.OpID(0), "done")
		return
	}
	ctx.SetTimer("retry", 5*sim.Millisecond)
}
func (r *retrier) Timer(ctx *sim.Context, _ string) { ctx.Send(r.server, "ready?") }

// jittery is waiting with a retrier and delays drawn from 1..9 ms.
var jittery = &protocols.Protocol{
	Name: "jittery", Nodes: 1, MinNodes: 1, MaxNodes: 1, Clients: 1, Safety: 300 * sim.Millisecond, Liveness: sim.Second,
	Network: sim.NetworkConfig{DelayMin: sim.Millisecond, DelayMax: 9 * sim.Millisecond},
	Setup: func(w *sim.World, o protocols.Options) (*protocols.Instance, error) {
		n := w.AddAgent(sim.AgentSpec{Name: "n1", New: func() sim.Agent { return gate{} }})
		w.AddAgent(sim.AgentSpec{Name: "c1", New: func() sim.Agent { return &retrier{server: n} }})
		return &protocols.Instance{Servers: []sim.NodeID{n}}, nil
	},
}

// TestAlignedStartKeepsTheAnswers: the client's retry that got through met
// some delay on its way to n1 and back. Started late so that its first
// attempt comes when that retry came, the client meets those same delays
// once the answers of the messages it no longer sends are left out of the
// log (alignStart), keyed replay or not, and the run is the original's end
// to end, less the retries; without the alignment its first request takes
// the delay of the original first one, and the story moves.
func TestAlignedStartKeepsTheAnswers(t *testing.T) {
	cfg := harness.Config{Impl: jittery, Seed: 3, Faults: "none"}
	cur, out, aborted, err := bounded(cfg, scheduler.NewSeeded(cfg.Seed), 0)
	if err != nil || aborted {
		t.Fatal(err, aborted)
	}
	s := &shrinker{cur: cur, size: measure(cur, out), opts: Options{RunsMax: 10, Time: -1}}
	firsts, ok := s.firstOps()
	if !ok || firsts["c1"] == nil || len(firsts["c1"].retries) < 2 {
		t.Fatalf("first operations %v (ok %v): want c1's with retries", firsts, ok)
	}
	first := firsts["c1"]
	through := first.retries[len(first.retries)-1] // the retry that got the yes
	tail := func(c Case, mode replayMode) []string {
		var lines []string
		o, err := runObserved(c, mode, func(e *traces.Event) {
			if e.Time > int64(first.invoked+through) { // the story after the first attempt: its message, the answer, the end
				lines = append(lines, e.Desc)
			}
		})
		if err != nil || o.Result.Failed() {
			t.Fatalf("run: %v, %s", err, o.Result.Verdict)
		}
		return lines
	}
	want := tail(cur, plainReplay)
	late := cur
	late.Config.StartAt = "c1=" + faults.FormatDuration(through)
	aligned, ok := alignStart(late, first, through)
	if !ok {
		t.Fatal("nothing to leave out")
	}
	for _, mode := range []replayMode{plainReplay, keyedReplay} {
		if diff := cmp.Diff(want, tail(aligned, mode)); diff != "" {
			t.Errorf("aligned, replayed %v: the run after the start differs (-original +late):\n%s", mode, diff)
		}
		if cmp.Equal(want, tail(late, mode)) {
			t.Errorf("not aligned, replayed %v: the run after the start is the original's; want the first delay to move it", mode)
		}
	}
	// Replayed in time, the late start needs no alignment: the answers
	// recorded before each question are skipped as it is asked.
	if diff := cmp.Diff(want, tail(late, timedReplay)); diff != "" {
		t.Errorf("not aligned, replayed timed: the run after the start differs (-original +late):\n%s", diff)
	}
}

// runObserved runs c replayed in mode, as bounded does, and shows observe
// each event.
func runObserved(c Case, mode replayMode, observe func(*traces.Event)) (*harness.Outcome, error) {
	inner := c.replayer(mode)
	if k, ok := inner.(*scheduler.KeyedReplay); ok {
		var w *sim.World
		k.Asker = func() int32 { return int32(w.Current()) }
		k.Clock = func() int64 { return int64(w.Now()) }
		return harness.Run(c.Config, harness.RunOptions{Chooser: inner, Observe: observe, Ready: func(rw *sim.World) { w = rw }})
	}
	return harness.Run(c.Config, harness.RunOptions{Chooser: inner, Observe: observe})
}
