package raft_test

import (
	"testing"
	"time"

	"github.com/orrery-sim/orrery/harness"
	_ "github.com/orrery-sim/orrery/protocols/raft"
)

func run(t *testing.T, cfg harness.Config) *harness.Outcome {
	t.Helper()
	if cfg.Protocol == "" {
		cfg.Protocol = "raft"
	}
	out, err := harness.Run(cfg, harness.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestCleanRunPasses(t *testing.T) {
	for seed := uint64(1); seed <= 3; seed++ {
		start := time.Now()
		out := run(t, harness.Config{Seed: seed})
		r := out.Result
		t.Logf("seed %d: %v %s %s events=%d end=%v ops=%d in %v", seed, r.Verdict, r.Property, r.Reason, r.Events, r.End, len(out.World.History().Ops), time.Since(start))
		if r.Failed() {
			t.Fatalf("seed %d: %s: %s\n%s", seed, r.Property, r.Reason, r.Stack)
		}
	}
}

func TestSwarmSweep(t *testing.T) {
	seeds := uint64(200)
	if testing.Short() {
		seeds = 20
	}
	for _, proto := range []string{"raft", "raft-prevote"} {
		start := time.Now()
		var events uint64
		for seed := uint64(1); seed <= seeds; seed++ {
			out := run(t, harness.Config{Protocol: proto, Seed: seed, Faults: "swarm"})
			r := out.Result
			events += r.Events
			if r.Failed() {
				t.Fatalf("%s seed %d: %v %s: %s\n%s", proto, seed, r.Verdict, r.Property, r.Reason, r.Stack)
			}
		}
		t.Logf("%s: %d seeds clean, %d events, %v", proto, seeds, events, time.Since(start))
	}
}

// TestClusterSizes runs the smallest, an even and the largest cluster.
func TestClusterSizes(t *testing.T) {
	for _, nodes := range []int{1, 2, 3, 4, 9} {
		for seed := uint64(1); seed <= 10; seed++ {
			for _, proto := range []string{"raft", "raft-prevote"} {
				out := run(t, harness.Config{Protocol: proto, Seed: seed, Nodes: nodes, Faults: "swarm"})
				if r := out.Result; r.Failed() {
					t.Fatalf("%s nodes=%d seed %d: %v %s: %s\n%s", proto, nodes, seed, r.Verdict, r.Property, r.Reason, r.Stack)
				}
			}
		}
	}
}
