package raft_test

import (
	"testing"

	"github.com/orrery-sim/orrery/harness"
	"github.com/orrery-sim/orrery/sim"
)

// TestOpsCapsTheSafetyPhase: with Ops set, each client issues at most that many
// operations while faults run, then writes in the liveness phase until a write
// completes, so the run still passes its liveness check.
func TestOpsCapsTheSafetyPhase(t *testing.T) {
	for seed := uint64(1); seed <= 20; seed++ {
		out, err := harness.Run(harness.Config{Protocol: "raft", Seed: seed, Clients: 3, Ops: 2, Faults: "swarm"}, harness.RunOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if r := out.Result; r.Failed() {
			t.Fatalf("seed %d: %s %s: %s", seed, r.Verdict, r.Property, r.Reason)
		}
		perClient := map[sim.NodeID]int{}
		for _, op := range out.World.History().Ops {
			if op.Call < out.Config.Safety {
				perClient[op.Client]++
			}
		}
		for client, n := range perClient {
			if n > 2 {
				t.Fatalf("seed %d: client %d issued %d operations in the safety phase, cap 2", seed, client, n)
			}
		}
	}
}
