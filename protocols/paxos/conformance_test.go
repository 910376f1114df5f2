package paxos_test

import (
	"testing"
	"time"

	"github.com/orrery-sim/orrery/harness"
	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/protocols/paxos"
	"github.com/orrery-sim/orrery/sim"
	"github.com/orrery-sim/orrery/simtest"
)

// rapidRun is short: a property test runs hundreds of cases.
var rapidRun = harness.Config{Safety: 3 * sim.Second, Liveness: 10 * sim.Second}

// TestConformance is the suite every protocol passes.
func TestConformance(t *testing.T) {
	p, err := protocols.Lookup("paxos")
	if err != nil {
		t.Fatal(err)
	}
	bugCfg := rapidRun
	bugCfg.Bug = paxos.BugIgnorePromisedValues
	simtest.Conformance(t, simtest.Suite{
		Protocol: p,
		// Clean runs, flexible quorums, a small cluster, and each planted bug
		// at its first failing seed.
		Golden: []harness.Config{
			{Seed: 1},
			{Seed: 7, Faults: "swarm"},
			{Seed: 3, Faults: "swarm", Nodes: 3},
			{Seed: 4, Faults: "swarm", Params: map[string]string{"q1": "4", "q2": "2"}},
			{Seed: 1, Faults: "swarm", Bug: paxos.BugNonintersectingQuorums},
			{Seed: 1, Faults: "swarm", Bug: paxos.BugIgnorePromisedValues},
			{Seed: 656, Faults: "swarm", Bug: paxos.BugPromiseReportsPromised},
			{Seed: 4, Faults: "swarm", Bug: paxos.BugPromiseNotSynced},
			{Seed: 52, Faults: "swarm", Bug: paxos.BugNoSessionDedupe},
		},
		// One seed of each shape: no faults, swarm, a small and a one-node
		// cluster, and flexible quorums both ways. Swarm draws the clients
		// (one may be all), so its runs hold fewer operations.
		Sweeps: []simtest.Sweep{
			{Config: harness.Config{Faults: "none"}, OpsMin: 100},
			{Config: harness.Config{Seed: 2, Faults: "swarm"}, OpsMin: 50},
			{Config: harness.Config{Seed: 3, Faults: "swarm", Nodes: 3}, OpsMin: 50},
			{Config: harness.Config{Seed: 4, Faults: "swarm", Params: map[string]string{"q1": "4", "q2": "2"}}, OpsMin: 50},
			{Config: harness.Config{Seed: 5, Faults: "swarm", Params: map[string]string{"q1": "2", "q2": "4"}}, OpsMin: 50},
			{Config: harness.Config{Seed: 6, Faults: "swarm", Nodes: 1}, OpsMin: 50},
		},
		Bugs: []simtest.PlantedBug{
			{Bug: paxos.BugNonintersectingQuorums, Property: paxos.PropOneValue, SeedsMax: 200},
			{Bug: paxos.BugIgnorePromisedValues, Property: paxos.PropOneValue, SeedsMax: 200},
			{Bug: paxos.BugPromiseReportsPromised, Property: paxos.PropOneValue, SeedsMax: 1000},
			{Bug: paxos.BugPromiseNotSynced, Property: paxos.PropAcceptorDurable, SeedsMax: 100},
			{Bug: paxos.BugNoSessionDedupe, Property: paxos.PropExactlyOnce, SeedsMax: 1000},
		},
		Rapid: &simtest.Spec{Config: rapidRun, Checks: 100},
		RapidBugs: []simtest.RapidBug{{
			Spec:     simtest.Spec{Config: bugCfg, Checks: 500, ShrinkTime: 20 * time.Second},
			Property: paxos.PropOneValue, PlanEntriesMax: 8,
		}},
	})
}
