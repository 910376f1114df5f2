package shrink

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/orrery-sim/orrery/examples/primarybackup"
	"github.com/orrery-sim/orrery/faults"
	"github.com/orrery-sim/orrery/harness"
	_ "github.com/orrery-sim/orrery/protocols/all"
	"github.com/orrery-sim/orrery/scheduler"
	"github.com/orrery-sim/orrery/sim"
)

// TestDrawnPlanWrittenOut: the plan Plan draws for a swarm run, run as plan
// text, takes exactly the same steps (same trace hash): the text is faithful,
// and leaving the fault choices unasked moves no other choice.
func TestDrawnPlanWrittenOut(t *testing.T) {
	for _, cfg := range []harness.Config{
		{Protocol: "chat", Seed: 3, Faults: "swarm"},
		{Protocol: "chat", Seed: 13, Faults: "swarm", Bug: "no-hold-back"},
		{Protocol: "raft", Seed: 2, Faults: "swarm"},
	} {
		c, out, err := FromSeed(cfg)
		if err != nil {
			t.Fatal(err)
		}
		plan, err := Plan(c)
		if err != nil {
			t.Fatal(err)
		}
		c.Config.Faults = planText(plan)
		again, err := c.Run(harness.RunOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if out.Result.Hash != again.Result.Hash || len(plan) == 0 {
			t.Errorf("%s seed %d: %d faults; hash %s drawn, %s written out", cfg.Protocol, cfg.Seed, len(plan),
				out.Result.HashString(), again.Result.HashString())
		}
	}
}

// TestShrinkChatBugs: each planted chat bug shrinks to a short run that fails
// the same way and replays to the same verdict.
func TestShrinkChatBugs(t *testing.T) {
	tests := []struct {
		bug       string
		seed      uint64
		eventsMax uint64
	}{
		{"no-dedupe", 1, 40},
		{"no-hold-back", 13, 60},
	}
	for _, tt := range tests {
		t.Run(tt.bug, func(t *testing.T) {
			c, out, err := FromSeed(harness.Config{Protocol: "chat", Seed: tt.seed, Bug: tt.bug, Faults: "swarm", FixedCluster: true})
			if err != nil {
				t.Fatal(err)
			}
			r, err := Shrink(c, Options{RunsMax: 2000, Time: -1})
			if err != nil {
				t.Fatal(err)
			}
			want := Signature{Verdict: out.Result.Verdict, Property: out.Result.Property}
			if diff := cmp.Diff(want, r.Failure); diff != "" {
				t.Fatalf("failure (-want +got):\n%s", diff)
			}
			if r.After.Events > tt.eventsMax || r.After.Events >= r.Before.Events || r.After.Faults > r.Before.Faults {
				t.Errorf("shrunk %+v to %+v; want at most %d events", r.Before, r.After, tt.eventsMax)
			}
			again, err := r.Case.Run(harness.RunOptions{})
			if err != nil {
				t.Fatal(err)
			}
			got := Signature{Verdict: again.Result.Verdict, Property: again.Result.Property}
			if diff := cmp.Diff(want, got); diff != "" || again.Result.Events != r.After.Events {
				t.Errorf("replay of the shrunk case: %d events, failure (-want +got):\n%s", again.Result.Events, diff)
			}
		})
	}
}

func TestShrinkPassingRun(t *testing.T) {
	c, _, err := FromSeed(harness.Config{Protocol: "chat", Seed: 1, Faults: "none"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Shrink(c, Options{}); err != ErrNotFailing {
		t.Fatalf("got %v, want ErrNotFailing", err)
	}
}

// TestDDMin: delta debugging finds exactly the items a failure needs.
func TestDDMin(t *testing.T) {
	tests := []struct {
		n    int
		need []int
	}{
		{10, []int{3, 7}},
		{1, []int{0}},
		{8, nil},
		{13, []int{0, 1, 2, 12}},
	}
	for _, tt := range tests {
		last := make([]int, tt.n) // ddmin assumes the whole set fails
		for i := range last {
			last[i] = i
		}
		tries := 0
		ddmin(tt.n, func(keep []int) bool {
			tries++
			for _, n := range tt.need {
				found := false
				for _, k := range keep {
					found = found || k == n
				}
				if !found {
					return false
				}
			}
			last = keep
			return true
		})
		if tt.need == nil && len(last) == 0 {
			last = nil
		}
		if diff := cmp.Diff(tt.need, last); diff != "" || tries > 4*tt.n+2 {
			t.Errorf("n=%d: %d tries, kept (-want +got):\n%s", tt.n, tries, diff)
		}
	}
}

// TestRestrict: removing nodes removes the faults on them and their names from
// partitions.
func TestRestrict(t *testing.T) {
	plan, err := faults.ParsePlan("at 1s crash n3; at 2s partition n1 n3 | n2; at 3s partition n1 | n3; at 4s cut n2 -> n3; at 5s crash n2; at 6s heal")
	if err != nil {
		t.Fatal(err)
	}
	got := restrict(plan, func(n string) bool { return n != "n3" }).String()
	want := "at 2s partition n1 | n2; at 5s crash n2; at 6s heal"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("(-want +got):\n%s", diff)
	}
}

func TestRoundUp(t *testing.T) {
	got := []sim.Time{roundUp(1, sim.Millisecond), roundUp(sim.Millisecond, sim.Millisecond), roundUp(0, sim.Millisecond)}
	if diff := cmp.Diff([]sim.Time{sim.Millisecond, sim.Millisecond, 0}, got); diff != "" {
		t.Fatal(diff)
	}
}

// TestRejectedCache: a candidate rejected under some event bound is known
// rejected under that bound and any tighter one, not a looser one, and the key
// tells candidates apart by config and by choices.
func TestRejectedCache(t *testing.T) {
	c := Case{Config: harness.Config{Protocol: "raft", Seed: 1}, Choices: []scheduler.Choice{{Purpose: scheduler.Delay, N: 10, Value: 3}}}
	other := c
	other.Choices = []scheduler.Choice{{Purpose: scheduler.Delay, N: 10, Value: 0}}
	seed2 := c
	seed2.Config.Seed = 2
	if c.key() == other.key() || c.key() == seed2.key() || c.key() != c.key() {
		t.Fatalf("keys: %x %x %x", c.key(), other.key(), seed2.key())
	}
	var s shrinker
	s.reject(c.key(), 100)
	got := []bool{s.knownRejected(c.key(), 100), s.knownRejected(c.key(), 50), s.knownRejected(c.key(), 101), s.knownRejected(other.key(), 10)}
	if diff := cmp.Diff([]bool{true, true, false, false}, got); diff != "" {
		t.Fatal(diff)
	}
}

// TestShrinkLateFailure: a stale read, caught only by the end-of-run
// linearizability check of a long run (abd's skip-write-back: a read that
// skips its write-back phase lets a later read return an older value;
// raft's stale-read is now caught at the read by read-fresh), shrinks to a
// short run (a sweep finds it afresh in a short safety phase, the clients
// uncapped so that the liveness phase still sees an operation after the
// heal) that replays to the same failure.
func TestShrinkLateFailure(t *testing.T) {
	c, out, err := FromSeed(harness.Config{Protocol: "abd", Seed: 144, Bug: "skip-write-back", Faults: "swarm", FixedCluster: true})
	if err != nil {
		t.Fatal(err)
	}
	r, err := Shrink(c, Options{RunsMax: 6000, Time: -1})
	if err != nil {
		t.Fatal(err)
	}
	want := Signature{Verdict: out.Result.Verdict, Property: out.Result.Property}
	// The shrink is deterministic (no time limit), so its result is pinned: a
	// change in the shrinker or in abd shows up here.
	const eventsAfter = 112
	if diff := cmp.Diff(want, r.Failure); diff != "" || r.After.Events != eventsAfter {
		t.Fatalf("shrunk %+v to %+v; want %d events, failure (-want +got):\n%s", r.Before, r.After, eventsAfter, diff)
	}
	again, err := r.Case.Run(harness.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got := Signature{Verdict: again.Result.Verdict, Property: again.Result.Property}
	if diff := cmp.Diff(want, got); diff != "" || again.Result.Events != r.After.Events {
		t.Errorf("replay of the shrunk case: %d events, failure (-want +got):\n%s", again.Result.Events, diff)
	}
}

// TestShrinkUnregisteredProtocol: a protocol handed over as Config.Impl (the
// tutorial's primary-backup, registered nowhere) shrinks like a registered one;
// and once its one fault sits at the earliest time the shrinker uses, "faults at
// half their times" offers nothing, so each of the two searches ends in about
// two hundred runs instead of re-accepting the same plan until the budget is
// spent. Pinned.
func TestShrinkUnregisteredProtocol(t *testing.T) {
	c, _, err := FromSeed(harness.Config{Impl: primarybackup.Protocol, Seed: 238, Bug: primarybackup.BugEarlyAck, Faults: "swarm"})
	if err != nil {
		t.Fatal(err)
	}
	r, err := Shrink(c, Options{Time: -1})
	if err != nil {
		t.Fatal(err)
	}
	got := struct {
		Runs           int
		Events, Faults int
		Property       string
	}{r.Runs, int(r.After.Events), r.After.Faults, r.Failure.Property}
	want := struct {
		Runs           int
		Events, Faults int
		Property       string
	}{2243, 26, 1, "read-acknowledged-writes"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("shrink (-want +got):\n%s", diff)
	}
}

// TestShrinkDeterministic: with a run budget only, the same case shrinks to
// the same result, run for run: keyed and per-purpose replay, the rejected
// cache and the sweeps depend on the input alone.
func TestShrinkDeterministic(t *testing.T) {
	c, _, err := FromSeed(harness.Config{Protocol: "chat", Seed: 13, Bug: "no-hold-back", Faults: "swarm", FixedCluster: true})
	if err != nil {
		t.Fatal(err)
	}
	type summary struct {
		Runs    int
		After   string
		Config  harness.Config
		Choices []scheduler.Choice
	}
	var got []summary
	for range 2 {
		r, err := Shrink(c, Options{RunsMax: 1500, Time: -1})
		if err != nil {
			t.Fatal(err)
		}
		cfg := r.Case.Config
		cfg.Impl = nil // functions never compare equal
		got = append(got, summary{r.Runs, r.After.String(), cfg, r.Case.Choices})
	}
	if diff := cmp.Diff(got[0], got[1]); diff != "" {
		t.Fatalf("two shrinks of one case differ (-first +second):\n%s", diff)
	}
}
