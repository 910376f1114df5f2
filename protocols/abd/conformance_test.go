package abd_test

import (
	"testing"
	"time"

	"github.com/orrery-sim/orrery/harness"
	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/protocols/abd"
	"github.com/orrery-sim/orrery/sim"
	"github.com/orrery-sim/orrery/simtest"
	"github.com/orrery-sim/orrery/workload/kv"
)

// rapidRun is short: a property test runs hundreds of cases.
var rapidRun = harness.Config{Safety: 2 * sim.Second, Liveness: 5 * sim.Second}

// TestConformance is the suite every protocol passes.
func TestConformance(t *testing.T) {
	p, err := protocols.Lookup("abd")
	if err != nil {
		t.Fatal(err)
	}
	var rapidBugs []simtest.RapidBug
	for _, bug := range []string{abd.BugSkipWriteBack, abd.BugMinorityQuorum} {
		cfg := rapidRun
		cfg.Bug = bug
		// A stale read fails read-fresh when it returns, or linearizability
		// at the end when no write completed before it began: either counts.
		rapidBugs = append(rapidBugs, simtest.RapidBug{
			Spec:           simtest.Spec{Config: cfg, Checks: 500, ShrinkTime: 20 * time.Second},
			PlanEntriesMax: 6,
			Check: func(t *testing.T, f *simtest.Failure) {
				if p := f.Result.Property; p != abd.PropLinearizable && p != kv.PropReadFresh {
					t.Errorf("%s: found a failure of %s, want a stale read (linearizability or read-fresh)", bug, p)
				}
			},
		})
	}
	simtest.Conformance(t, simtest.Suite{
		Protocol: p,
		// Clean runs and each planted bug at its first failing seed.
		Golden: []harness.Config{
			{Seed: 1},
			{Seed: 1, Faults: "swarm"},
			{Seed: 7, Faults: "swarm"},
			{Seed: 83, Faults: "swarm", Bug: abd.BugSkipWriteBack},
			{Seed: 3, Faults: "swarm", Bug: abd.BugMinorityQuorum},
			{Seed: 49, Faults: "swarm", Bug: abd.BugServeBeforeTransfer},
			{Seed: 2, Faults: "swarm", Bug: abd.BugTransferFromOne},
			{Seed: 57, Faults: "swarm", Bug: abd.BugStaleEpochAccepted},
		},
		// simrun -protocol abd -seeds 1-2000 runs more; every run completes
		// at least 100 operations on average.
		Sweeps: []simtest.Sweep{{Config: harness.Config{Faults: "swarm"}, Seeds: 200, OpsMin: 100}},
		Bugs: []simtest.PlantedBug{
			{Bug: abd.BugSkipWriteBack, Property: abd.PropLinearizable, SeedsMax: 200},
			{Bug: abd.BugMinorityQuorum, Property: kv.PropReadFresh, SeedsMax: 3},
			{Bug: abd.BugServeBeforeTransfer, Property: abd.PropTransferred, SeedsMax: 60},
			{Bug: abd.BugTransferFromOne, Property: abd.PropTransferred, SeedsMax: 60},
			{Bug: abd.BugStaleEpochAccepted, Property: kv.PropReadFresh, SeedsMax: 100}, // fewer clients drawn: read-fresh needs a reader beside the writer
		},
		Rapid:     &simtest.Spec{Config: rapidRun, Checks: 100},
		RapidBugs: rapidBugs,
	})
}
