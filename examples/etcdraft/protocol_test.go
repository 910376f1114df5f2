package etcdraft_test

import (
	"bytes"
	"testing"

	"github.com/orrery-sim/orrery/examples/etcdraft"
	"github.com/orrery-sim/orrery/harness"
	"github.com/orrery-sim/orrery/shrink"
	"github.com/orrery-sim/orrery/traces"
)

func run(t *testing.T, cfg harness.Config) (*harness.Outcome, []byte) {
	t.Helper()
	var trace bytes.Buffer
	out, err := harness.Run(cfg, harness.RunOptions{Trace: &trace})
	if err != nil {
		t.Fatal(err)
	}
	return out, trace.Bytes()
}

// TestTraceIsByteIdentical: two runs of a seed write the same trace file,
// although etcd's raft draws its election timeouts from crypto/rand.
func TestTraceIsByteIdentical(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3} {
		cfg := harness.Config{Impl: etcdraft.Protocol, Seed: seed, Faults: "swarm"}
		out, one := run(t, cfg)
		_, two := run(t, cfg)
		if !bytes.Equal(one, two) || out.Result.Events < 1000 {
			t.Errorf("seed %d: traces differ or the run is short (%d events)", seed, out.Result.Events)
		}
	}
}

// TestSystemRandomIsNotReproducible: with etcd's randomness left to the
// system (rand=system), two runs of one seed differ: the redirect matters.
func TestSystemRandomIsNotReproducible(t *testing.T) {
	cfg := harness.Config{Impl: etcdraft.Protocol, Seed: 1, Faults: "swarm", Params: map[string]string{"rand": "system"}}
	one, _ := run(t, cfg)
	two, _ := run(t, cfg)
	if one.Result.Hash == two.Result.Hash {
		t.Errorf("two runs with the system's randomness gave one hash %s", one.Result.HashString())
	}
}

// TestVoteIgnoresLogIsCaughtShrunkAndReplayed: the bug re-introduced into the
// copy of etcd's raft (votes without the up-to-date check) is caught by a
// sweep at seed 3, shrinks to a short run failing the same way, and the
// shrunk trace replays to the same verdict.
func TestVoteIgnoresLogIsCaughtShrunkAndReplayed(t *testing.T) {
	cfg := harness.Config{Impl: etcdraft.Protocol, Bug: "vote-ignores-log", Faults: "swarm"}
	s, err := harness.FirstFailure(cfg, 1, 50, 0)
	if err != nil || s.Failure == nil {
		t.Fatalf("no failure in seeds 1-50 (%v)", err)
	}
	f := s.Failure
	if f.Config.Seed != 3 || f.Result.Property != "leader-completeness" {
		t.Fatalf("first failure: seed %d, %s", f.Config.Seed, f.Result.Property)
	}
	c, _, err := shrink.FromSeed(f.Config)
	if err != nil {
		t.Fatal(err)
	}
	r, err := shrink.Shrink(c, shrink.Options{RunsMax: 1500, Time: -1})
	if err != nil {
		t.Fatal(err)
	}
	if r.After.Events >= r.Before.Events/4 || r.Failure.Property != f.Result.Property {
		t.Fatalf("shrunk %d → %d events, failing %s", r.Before.Events, r.After.Events, r.Failure.Property)
	}
	var trace bytes.Buffer
	out, err := r.Case.Run(harness.RunOptions{Trace: &trace})
	if err != nil {
		t.Fatal(err)
	}
	tr, err := traces.Read(&trace)
	if err != nil {
		t.Fatal(err)
	}
	again, err := shrink.FromTrace(tr)
	if err != nil {
		t.Fatal(err)
	}
	again.Config.Impl = etcdraft.Protocol // a trace names its protocol; the test supplies it
	replayed, err := again.Run(harness.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if replayed.Result.Hash != out.Result.Hash || replayed.Result.Property != f.Result.Property {
		t.Errorf("replay of the shrunk trace: %s %s, want %s %s", replayed.Result.HashString(),
			replayed.Result.Property, out.Result.HashString(), f.Result.Property)
	}
	t.Logf("seed %d: %d → %d events in %d shrink runs", f.Config.Seed, r.Before.Events, r.After.Events, r.Runs)
}
