package etcdraft_test

import (
	"testing"

	"github.com/orrery-sim/orrery/examples/etcdraft"
	"github.com/orrery-sim/orrery/harness"
	"github.com/orrery-sim/orrery/simtest"
)

// TestEtcdRaft runs etcd's raft under fault plans drawn by rapid; a failure
// shrinks to a minimal plan and schedule, and its trace replays.
func TestEtcdRaft(t *testing.T) {
	simtest.Check(t, simtest.Spec{Protocol: etcdraft.Protocol, Checks: 20})
}

// TestSweep runs seeds 1-100 under swarm faults, as etcdsim -seeds 1-100 does.
func TestSweep(t *testing.T) {
	s, err := harness.FirstFailure(harness.Config{Impl: etcdraft.Protocol, Faults: "swarm"}, 1, 100, 0)
	if err != nil {
		t.Fatal(err)
	}
	if f := s.Failure; f != nil {
		t.Fatalf("seed %d: %s: %s", f.Config.Seed, f.Result.Property, f.Result.Reason)
	}
}
