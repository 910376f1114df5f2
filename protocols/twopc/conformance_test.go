package twopc_test

import (
	"testing"
	"time"

	"github.com/orrery-sim/orrery/harness"
	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/protocols/twopc"
	"github.com/orrery-sim/orrery/sim"
	"github.com/orrery-sim/orrery/simtest"
)

// rapidRun is short: a property test runs hundreds of cases.
var rapidRun = harness.Config{Safety: 3 * sim.Second, Liveness: 10 * sim.Second}

// TestConformance is the suite every protocol passes.
func TestConformance(t *testing.T) {
	p, err := protocols.Lookup("twopc")
	if err != nil {
		t.Fatal(err)
	}
	bugCfg := rapidRun
	bugCfg.Bug = twopc.BugCommitWithoutVotes
	simtest.Conformance(t, simtest.Suite{
		Protocol: p,
		// Clean runs, a larger cluster, and each planted bug at its first
		// failing seed.
		Golden: []harness.Config{
			{Seed: 1},
			{Seed: 7, Faults: "swarm"},
			{Seed: 3, Faults: "swarm", Nodes: 5, Clients: 4},
			{Seed: 1, Faults: "swarm", Bug: twopc.BugCommitWithoutVotes},
			{Seed: 2, Faults: "swarm", Bug: twopc.BugForgetYesVote},
			{Seed: 4, Faults: "swarm", Bug: twopc.BugDecisionChanges},
			{Seed: 1, Faults: "swarm", Bug: twopc.BugAbortReplyOnTimeout},
		},
		// One seed of each shape: no faults, swarm, a larger and a one-node
		// cluster; each run commits or aborts at least 30 transactions (swarm
		// may draw one client).
		Sweeps: []simtest.Sweep{
			{Config: harness.Config{Seed: 1, Faults: "none"}, OpsMin: 30},
			{Config: harness.Config{Seed: 2, Faults: "swarm"}, OpsMin: 30},
			{Config: harness.Config{Seed: 3, Faults: "swarm", Nodes: 5, Clients: 4}, OpsMin: 30},
			{Config: harness.Config{Seed: 4, Faults: "swarm", Nodes: 1}, OpsMin: 30},
		},
		Bugs: []simtest.PlantedBug{
			{Bug: twopc.BugCommitWithoutVotes, Property: twopc.PropValidity, SeedsMax: 50},
			{Bug: twopc.BugForgetYesVote, Property: twopc.PropLogDurable, SeedsMax: 200},
			{Bug: twopc.BugDecisionChanges, Property: twopc.PropAtomicity, SeedsMax: 50},
			{Bug: twopc.BugAbortReplyOnTimeout, Property: twopc.PropOutcome, SeedsMax: 20},
		},
		Rapid: &simtest.Spec{Config: rapidRun, Checks: 100},
		RapidBugs: []simtest.RapidBug{{
			Spec:           simtest.Spec{Config: bugCfg, Checks: 500, ShrinkTime: 20 * time.Second},
			PlanEntriesMax: 6, // validity or atomicity, as the shrink goes
		}},
	})
}
