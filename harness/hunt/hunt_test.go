package hunt_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/orrery-sim/orrery/harness"
	"github.com/orrery-sim/orrery/harness/hunt"
	_ "github.com/orrery-sim/orrery/protocols/all"
	"github.com/orrery-sim/orrery/scheduler"
	"github.com/orrery-sim/orrery/shrink"
	"github.com/orrery-sim/orrery/traces"
)

// summary is what a hunt's answer is, for comparisons.
type summary struct {
	Runs, Corpus, Features int
	Seed                   uint64
	Branched               bool
	Property               string
	Hash                   string
}

func summarize(r *hunt.Result) summary {
	s := summary{Runs: r.Runs, Corpus: r.Corpus, Features: r.Features}
	if f := r.Failure; f != nil {
		s.Seed, s.Branched, s.Property, s.Hash = f.Config.Seed, f.Branched, f.Outcome.Result.Property, f.Outcome.Result.HashString()
	}
	return s
}

// TestHuntIndependentOfWorkers: every strategy's answer (the failing run, the
// runs it took, the corpus) is the same on 1 and 3 workers.
func TestHuntIndependentOfWorkers(t *testing.T) {
	cfg := harness.Config{Protocol: "paxos", Bug: "promise-not-synced", Faults: "swarm"}
	for _, s := range hunt.Strategies {
		t.Run(s, func(t *testing.T) {
			var got [2]summary
			for i, workers := range []int{1, 3} {
				r, err := hunt.Hunt(cfg, hunt.Options{Strategy: s, RunsMax: 200, BaseSeed: 2, Workers: workers, Generation: 6})
				if err != nil {
					t.Fatal(err)
				}
				if r.Failure == nil {
					t.Fatalf("workers=%d: no failure in %d runs", workers, r.Runs)
				}
				got[i] = summarize(r)
			}
			if diff := cmp.Diff(got[0], got[1]); diff != "" {
				t.Fatalf("1 worker vs 3 (-1 +3):\n%s", diff)
			}
		})
	}
}

// TestRandomIsASweep: the random strategy's first failure is the sweep's
// lowest failing seed from the base seed, and the runs count the seeds.
func TestRandomIsASweep(t *testing.T) {
	cfg := harness.Config{Protocol: "twopc", Bug: "forget-yes-vote", Faults: "swarm"}
	s, err := harness.FirstFailure(cfg, 5, 400, 2)
	if err != nil || s.Failure == nil {
		t.Fatalf("sweep: %v, %+v", err, s)
	}
	r, err := hunt.Hunt(cfg, hunt.Options{Strategy: hunt.Random, RunsMax: 400, BaseSeed: 5, Workers: 2})
	if err != nil || r.Failure == nil {
		t.Fatalf("hunt: %v, %+v", err, r)
	}
	want := []uint64{s.Failure.Config.Seed, s.Failure.Config.Seed - 5 + 1}
	if diff := cmp.Diff(want, []uint64{r.Failure.Config.Seed, uint64(r.Runs)}); diff != "" || r.Failure.Branched {
		t.Fatalf("(-sweep +hunt):\n%s", diff)
	}
}

// TestNoveltyBranchReplays: the novelty strategy branches (its corpus grows
// and, on this bug, the failing run is a branch), and the trace of a branched
// failure replays to the same verdict and hash from its recorded choices;
// re-running its config from the seed is refused.
func TestNoveltyBranchReplays(t *testing.T) {
	cfg := harness.Config{Protocol: "paxos", Bug: "promise-not-synced", Faults: "swarm"}
	var branched *hunt.Run
	for base := uint64(1); base <= 10 && branched == nil; base++ {
		r, err := hunt.Hunt(cfg, hunt.Options{Strategy: hunt.Novelty, RunsMax: 300, BaseSeed: base, Workers: 2, Generation: 4})
		if err != nil {
			t.Fatal(err)
		}
		if r.Runs > 4 && (r.Corpus == 0 || r.Features == 0) {
			t.Fatalf("base %d: no corpus (%d) or features (%d)", base, r.Corpus, r.Features)
		}
		if r.Failure != nil && r.Failure.Branched {
			branched = r.Failure
		}
	}
	if branched == nil {
		t.Fatal("no base seed in 1..10 failed on a branch")
	}
	if branched.Config.Scheduler != harness.SchedulerSplice || branched.Prefix == 0 {
		t.Fatalf("branch config %q, prefix %d", branched.Config.Scheduler, branched.Prefix)
	}
	var buf strings.Builder
	if _, err := branched.WriteTrace(&buf); err != nil {
		t.Fatal(err)
	}
	tr, err := traces.Read(strings.NewReader(buf.String()))
	if err != nil {
		t.Fatal(err)
	}
	c, err := shrink.FromTrace(tr)
	if err != nil {
		t.Fatal(err)
	}
	again, err := harness.Run(c.Config, harness.RunOptions{Chooser: scheduler.NewReplay(c.Choices)})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := again.Result.HashString(), branched.Outcome.Result.HashString(); got != want || tr.Footer.Hash != want {
		t.Fatalf("replayed hash %s, trace %s, want %s", got, tr.Footer.Hash, want)
	}
	if _, err := harness.Run(c.Config, harness.RunOptions{}); err == nil {
		t.Fatal("a spliced run re-ran from its seed")
	}
}

// TestFeature: numbers become magnitudes and relations, the agent's own name
// "self", other digits are masked.
func TestFeature(t *testing.T) {
	same := [][2]string{
		{"leader term=11 commit=50 applied=50 last=51 leader=n4", "leader term=12 commit=40 applied=40 last=41 leader=n2"},
		{"waiting #26 put a=\"6.26\"", "waiting #2 put a=\"1.2\""},
	}
	differ := [][2]string{
		{"leader term=11 commit=50 applied=50 last=51 leader=n4", "follower term=11 commit=50 applied=50 last=51 leader=n4"},
		{"follower term=2 commit=5 applied=5", "follower term=2 commit=5 applied=4"},
		{"follower term=2 commit=0", "follower term=2 commit=1"},
		{"follower leader=n1", "follower leader=n4"}, // n1 is self below
	}
	f := func(s string) uint64 { h, _ := hunt.Feature(fake(s), "n1"); return h }
	for _, p := range same {
		if f(p[0]) != f(p[1]) {
			t.Errorf("%q and %q differ", p[0], p[1])
		}
	}
	for _, p := range differ {
		if f(p[0]) == f(p[1]) {
			t.Errorf("%q and %q alike", p[0], p[1])
		}
	}
}
