package simtest_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/orrery-sim/orrery/faults"
	"github.com/orrery-sim/orrery/harness"
	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/scheduler"
	"github.com/orrery-sim/orrery/sim"
	"github.com/orrery-sim/orrery/simtest"
	"pgregory.net/rapid"
)

// counter is a user's protocol, unregistered: a server counts increments from
// a client and must never count more than were sent. With lossy it counts a
// duplicated message twice, a bug only a duplicating network shows.
type counter struct {
	lossy bool
	seen  map[int]bool
	count int
}

type msgIncr struct{ ID int }

func (c *counter) Start(ctx *sim.Context) { c.seen = map[int]bool{} }
func (c *counter) Receive(ctx *sim.Context, from sim.NodeID, msg sim.Message) {
	m := msg.(msgIncr)
	if c.seen[m.ID] && !c.lossy {
		return
	}
	c.seen[m.ID] = true
	c.count++
}
func (c *counter) Timer(*sim.Context, string) {}

type sender struct {
	server sim.NodeID
	sent   int
}

func (s *sender) Start(ctx *sim.Context)                        { ctx.SetTimer("send", 10*sim.Millisecond) }
func (s *sender) Receive(*sim.Context, sim.NodeID, sim.Message) {}
func (s *sender) Timer(ctx *sim.Context, name string) {
	if ctx.Phase() == sim.PhaseLiveness {
		return
	}
	s.sent++
	ctx.Send(s.server, msgIncr{ID: s.sent})
	ctx.SetTimer("send", 10*sim.Millisecond)
}

func counterProtocol(bug bool) *protocols.Protocol {
	return &protocols.Protocol{
		Name: "counter", Nodes: 1, MinNodes: 1, MaxNodes: 1, Clients: 1,
		Safety: sim.Second, Liveness: sim.Second,
		Setup: func(w *sim.World, o protocols.Options) (*protocols.Instance, error) {
			server := w.AddAgent(sim.AgentSpec{Name: "s", New: func() sim.Agent { return &counter{lossy: bug} }})
			client := w.AddAgent(sim.AgentSpec{Name: "c", New: func() sim.Agent { return &sender{server: server} }})
			w.AddProperty(sim.Property{Name: "no-overcount", Kind: sim.Always, Check: func(w *sim.World) error {
				s, _ := w.Agent(server).(*counter)
				c, _ := w.Agent(client).(*sender)
				if s != nil && c != nil && s.count > c.sent {
					return fmt.Errorf("counted %d of %d sent", s.count, c.sent)
				}
				return nil
			}})
			return &protocols.Instance{Servers: []sim.NodeID{server, client}, Tolerates: 0}, nil
		},
	}
}

// TestCheckPassesCorrectProtocol: the correct counter survives every case.
func TestCheckPassesCorrectProtocol(t *testing.T) {
	simtest.Check(t, simtest.Spec{Protocol: counterProtocol(false), Checks: 50,
		Faults: simtest.Budget{Kinds: []faults.Kind{faults.Dup, faults.Drop}}})
}

// TestFindShrinksAndReplays: the bug is found, shrunk to a single dup episode,
// and its trace replays (Replay, the path of -simtest.replay) with the same
// verdict.
func TestFindShrinksAndReplays(t *testing.T) {
	p := counterProtocol(true)
	f := simtest.Find(t, simtest.Spec{Protocol: p, Checks: 100, ShrinkTime: 10 * time.Second,
		Faults: simtest.Budget{Kinds: []faults.Kind{faults.Drop, faults.Dup}}})
	if f == nil {
		t.Fatal("the duplicate count was not found")
	}
	plan := f.Plan()
	if len(plan) == 0 || plan[0].Fault.Kind != faults.Dup || len(plan) > 2 {
		t.Fatalf("shrunk plan %q, want one dup episode", f.Config.Faults)
	}
	if f.Config.Scheduler != harness.SchedulerRapid {
		t.Errorf("header scheduler %q, want rapid", f.Config.Scheduler)
	}
	out := simtest.Replay(t, f.Trace, p)
	if diff := cmp.Diff(f.Result.HashString(), out.Result.HashString()); diff != "" || out.Result.Property != "no-overcount" {
		t.Fatalf("replay: %s %s, hash diff %s", out.Result.Verdict, out.Result.Property, diff)
	}
}

// TestPlanWithinBudget: drawn plans parse back from their text, start within
// the budget, never have more nodes down at once than tolerated, and draw
// every default kind (reconfigurations only with spares).
func TestPlanWithinBudget(t *testing.T) {
	b := simtest.Budget{Nodes: []string{"n1", "n2", "n3", "n4"}, Spares: []string{"n4"}, Tolerates: 1, Within: 2 * sim.Second} // every default kind
	kinds := map[faults.Kind]bool{}
	rapid.Check(t, func(t *rapid.T) {
		plan := simtest.PlanOf(b).Draw(t, "plan")
		back, err := faults.ParsePlan(plan.String())
		if err != nil {
			t.Fatalf("%q: %v", plan.String(), err)
		}
		if back.String() != plan.String() {
			t.Fatalf("round trip: %q became %q", plan, back)
		}
		if err := downAtOnce(plan, b.Tolerates); err != nil {
			t.Fatalf("%q: %v", plan.String(), err)
		}
		if err := skewsBounded(plan); err != nil {
			t.Fatalf("%q: %v", plan.String(), err)
		}
		for _, e := range plan {
			kinds[e.Fault.Kind] = true
			if e.At < 0 || (e.Fault.Kind != faults.Restart && e.Fault.Kind != faults.Mend && e.At >= b.Within && e.Fault.PPM != 0) {
				t.Fatalf("%q: entry at %v outside [0, %v)", plan.String(), e.At, b.Within)
			}
		}
	})
	for _, k := range simtest.DefaultKinds {
		if !kinds[k] {
			t.Errorf("no drawn plan has a %s", k)
		}
	}
	b.Spares = nil
	rapid.Check(t, func(t *rapid.T) {
		for _, e := range simtest.PlanOf(b).Draw(t, "plan") {
			if e.Fault.Kind == faults.Reconfigure {
				t.Fatalf("a budget without spares drew %s", e.Fault)
			}
		}
	})
}

// downAtOnce replays a plan's crashes, restarts and pauses over time.
func downAtOnce(plan faults.Plan, tolerates int) error {
	type span struct{ from, to sim.Time }
	down := map[string]span{}
	for _, e := range plan {
		switch e.Fault.Kind {
		case faults.Crash:
			down[e.Fault.Node] = span{e.At, 1 << 62}
		case faults.Restart:
			s := down[e.Fault.Node]
			down[e.Fault.Node] = span{s.from, e.At}
		case faults.Pause:
			down[e.Fault.Node] = span{e.At, e.At + e.Fault.For}
		}
		n := 0
		for _, s := range down { // lint:ordered counts only
			if s.from <= e.At && e.At < s.to {
				n++
			}
		}
		if n > tolerates {
			return errors.New("too many nodes down at once")
		}
	}
	return nil
}

// skewsBounded checks that a plan's skews are the nemesis's episodes: on each
// node they alternate between a start within faults.SkewStepMax and
// faults.SkewDriftMax and an end that stops the drift, faults.SkewLengthMin to
// faults.SkewLengthMax later.
func skewsBounded(plan faults.Plan) error {
	started := map[string]*faults.Entry{}
	for i, e := range plan {
		f := e.Fault
		if f.Kind != faults.Skew {
			continue
		}
		start := started[f.Node]
		if start == nil {
			if f.Offset < -faults.SkewStepMax || f.Offset > faults.SkewStepMax || f.Drift < -faults.SkewDriftMax || f.Drift > faults.SkewDriftMax {
				return fmt.Errorf("%s at %v: beyond ±%v drift ±%dppm", f, e.At, faults.SkewStepMax, faults.SkewDriftMax)
			}
			started[f.Node] = &plan[i]
			continue
		}
		if f.Offset != 0 || f.Drift != 0 {
			return fmt.Errorf("%s at %v while %s from %v lasts", f, e.At, start.Fault, start.At)
		}
		if d := e.At - start.At; d < faults.SkewLengthMin || d > faults.SkewLengthMax {
			return fmt.Errorf("%s from %v ends after %v", start.Fault, start.At, d)
		}
		delete(started, f.Node)
	}
	for node, start := range started { // lint:ordered reports any one
		return fmt.Errorf("the skew of %s at %v never ends", node, start.At)
	}
	return nil
}

// clockProtocol is a user's protocol that trusts its clock within stepMax and
// faults.SkewDriftMax: a lone server ticks, and its property checks that over
// any stretch shorter than a skew episode its clock has moved by the true time
// within one step and the drift. With stepMax = faults.SkewStepMax it holds
// under the nemesis's clock model; with 0 (a protocol that assumes clocks
// never step) it does not.
func clockProtocol(stepMax sim.Time) *protocols.Protocol {
	const tick, window = 10 * sim.Millisecond, faults.SkewLengthMin - 100*sim.Millisecond
	return &protocols.Protocol{
		Name: "clock-" + stepMax.String(), Nodes: 1, MinNodes: 1, MaxNodes: 1,
		Safety: 3 * sim.Second, Liveness: sim.Second,
		Setup: func(w *sim.World, o protocols.Options) (*protocols.Instance, error) {
			s := w.AddAgent(sim.AgentSpec{Name: "s", New: func() sim.Agent { return ticker{tick} }})
			type sample struct{ real, local sim.Time }
			var seen []sample
			w.AddProperty(sim.Property{Name: "bounded-clock-error", Kind: sim.Always, Check: func(w *sim.World) error {
				now := sample{w.Now(), w.LocalTime(s)}
				for len(seen) > 0 && now.real-seen[0].real > window {
					seen = seen[1:]
				}
				seen = append(seen, now)
				for _, p := range seen {
					real, local := now.real-p.real, now.local-p.local
					allowed := stepMax + real*faults.SkewDriftMax/1_000_000 + sim.Microsecond // rounding
					if local-real > allowed || real-local > allowed {
						return fmt.Errorf("the clock moved %v in %v (from %v)", local, real, p.real)
					}
				}
				return nil
			}})
			return &protocols.Instance{Servers: []sim.NodeID{s}}, nil
		},
	}
}

type ticker struct{ every sim.Time }

func (k ticker) Start(ctx *sim.Context)                        { ctx.SetTimer("tick", k.every) }
func (k ticker) Receive(*sim.Context, sim.NodeID, sim.Message) {}
func (k ticker) Timer(ctx *sim.Context, _ string)              { ctx.SetTimer("tick", k.every) }

// TestCheckPassesBoundedClockError: a protocol correct under the nemesis's
// bounded clock error passes Check's drawn skews, as it passes a sweep; one
// that assumes clocks never step is found, shrunk to one skew episode.
func TestCheckPassesBoundedClockError(t *testing.T) {
	skews := simtest.Budget{Kinds: []faults.Kind{faults.Skew}}
	simtest.Check(t, simtest.Spec{Protocol: clockProtocol(faults.SkewStepMax), Checks: 100, Faults: skews})
	f := simtest.Find(t, simtest.Spec{Protocol: clockProtocol(0), Checks: 100, ShrinkTime: 10 * time.Second, Faults: skews,
		TraceDir: t.TempDir()})
	if f == nil {
		t.Fatal("a clock assumed never to step passed")
	}
	if plan := f.Plan(); len(plan) == 0 || plan[0].Fault.Kind != faults.Skew || len(plan) > 2 {
		t.Fatalf("shrunk plan %q, want one skew episode", f.Config.Faults)
	}
}

// TestScheduleChooser: jitter scales the seeded delays, scripted messages take
// their level, and other purposes come from the seed unchanged.
func TestScheduleChooser(t *testing.T) {
	const n = 10
	draw := func(s simtest.Schedule) (delays, rands []uint64) {
		c := s.Chooser()
		for range 6 {
			delays = append(delays, c.Choose(scheduler.Delay, n))
			rands = append(rands, c.Choose(scheduler.Rand, 1000))
		}
		return delays, rands
	}
	full, rands := draw(simtest.Schedule{Seed: 5, Jitter: 100})
	sync, syncRands := draw(simtest.Schedule{Seed: 5, Delays: []simtest.Delay{{Message: 2, Level: 3}, {Message: 4, Level: 1}}})
	if diff := cmp.Diff([]uint64{0, 0, 9, 0, 3, 0}, sync); diff != "" {
		t.Errorf("synchronous with two scripted delays (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(rands, syncRands); diff != "" {
		t.Errorf("agent randomness depends on the delays:\n%s", diff)
	}
	seeded := scheduler.NewSeeded(5)
	for i, d := range full {
		if want := seeded.Choose(scheduler.Delay, n); d != want {
			t.Errorf("delay %d with full jitter: %d, want the seeded %d", i, d, want)
		}
	}
}

// FuzzCounter: the correct counter passes every decision tape; under `go test`
// the seed corpus runs as a test, under `go test -fuzz FuzzCounter` the fuzzer
// mutates tapes.
func FuzzCounter(f *testing.F) {
	simtest.Fuzz(f, simtest.Spec{Protocol: counterProtocol(false)})
}

// TestTapeFindsDuplication: among tapes of one byte each, the first that makes
// the swarm nemesis duplicate a message the lossy counter counts twice is
// found, pinned, and its trace replays to the same run.
func TestTapeFindsDuplication(t *testing.T) {
	spec := simtest.Spec{Protocol: counterProtocol(true), TraceDir: t.TempDir()}
	f, b := firstFailingTape(t, spec)
	if b != 2 || f.Result.Property != "no-overcount" {
		t.Fatalf("first failing tape starts %d (want 2), %s %s", b, f.Result.Property, f.Result.Reason)
	}
	out := simtest.Replay(t, f.Trace, spec.Protocol)
	if out.Result.Hash != f.Result.Hash {
		t.Fatalf("replay hash %s, want %s", out.Result.HashString(), f.Result.HashString())
	}
}

// firstFailingTape runs tapes of four bytes, the first running from 0 to
// 255, and returns the first failure and its first byte.
func firstFailingTape(t *testing.T, spec simtest.Spec) (*simtest.Failure, int) {
	t.Helper()
	for b := range 256 {
		f, err := simtest.RunTape(t.Name(), spec, []byte{byte(b), 0xff, 0xff, 0xff})
		if err != nil {
			t.Fatal(err)
		}
		if f != nil {
			return f, b
		}
	}
	t.Fatal("no tape made the counter overcount")
	return nil, 0
}

// TestFuzzFailureNamesItsPlanAndTape: a fuzz failure reports the plan the
// swarm nemesis drew from the tape (which, written out, fails the same way)
// and the tape as its schedule, not "swarm" and a seed that decided nothing.
func TestFuzzFailureNamesItsPlanAndTape(t *testing.T) {
	spec := simtest.Spec{Protocol: counterProtocol(true), TraceDir: t.TempDir()}
	f, _ := firstFailingTape(t, spec)
	plan := f.Plan()
	if !slices.ContainsFunc(plan, func(e faults.Entry) bool { return e.Fault.Kind == faults.Dup }) {
		t.Fatalf("plan %q, want the dup the nemesis drew", plan)
	}
	report := f.String()
	wantFaults := "  faults:   swarm, drew: " + plan[:1].String()
	wantSchedule := fmt.Sprintf("  schedule: the fuzz input's decision tape (%d choices: its 4 bytes, then a stream seeded by their hash)\n", len(f.Choices))
	if !strings.Contains(report, wantFaults) || !strings.Contains(report, wantSchedule) {
		t.Fatalf("report:\n%s\nwant lines starting\n%s\n%s", report, wantFaults, wantSchedule)
	}
	cfg := f.Config
	cfg.Faults = plan.String()
	out, err := harness.Run(cfg, harness.RunOptions{Chooser: scheduler.NewReplay(f.Choices), Protocol: spec.Protocol})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(f.Result.Reason, out.Result.Reason); diff != "" || out.Result.Property != f.Result.Property {
		t.Fatalf("the written plan runs to %s %s (reason -fuzz +plan):\n%s", out.Result.Verdict, out.Result.Property, diff)
	}
}
