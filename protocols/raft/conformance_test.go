package raft_test

import (
	"testing"
	"time"

	"github.com/orrery-sim/orrery/harness"
	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/protocols/raft"
	"github.com/orrery-sim/orrery/sim"
	"github.com/orrery-sim/orrery/simtest"
)

// rapidRun is short: a property test runs hundreds of cases.
var rapidRun = harness.Config{Safety: 3 * sim.Second, Liveness: 10 * sim.Second}

// TestConformance is the suite every protocol passes. Raft's variant with
// pre-vote and check-quorum (raft-prevote) runs in its golden runs and sweeps.
func TestConformance(t *testing.T) {
	p, err := protocols.Lookup("raft")
	if err != nil {
		t.Fatal(err)
	}
	bugCfg := rapidRun
	bugCfg.Bug, bugCfg.Safety = raft.BugCommitPastVerified, 5*sim.Second
	simtest.Conformance(t, simtest.Suite{
		Protocol: p,
		// Clean runs under each fault mode and scheduler, pre-vote, a small
		// cluster, and each planted bug at its first failing seed.
		Golden: []harness.Config{
			{Seed: 1},
			{Seed: 42, Faults: "swarm"},
			{Seed: 7, Faults: "default"},
			{Seed: 5, Faults: "swarm", Scheduler: harness.SchedulerPCT},
			{Seed: 3, Faults: "swarm", Nodes: 3, Clients: 2},
			{Protocol: "raft-prevote", Seed: 3, Faults: "swarm"},
			{Seed: 210, Faults: "swarm", Bug: "figure8"},
			{Seed: 2, Faults: "swarm", Bug: "vote-not-persisted"},
			{Seed: 96, Faults: "swarm", Bug: "commit-past-verified"},
			{Seed: 186, Faults: "swarm", Bug: "stale-read"},
			{Seed: 5, Faults: "swarm", Bug: "vote-count"},
			{Seed: 1, Faults: "swarm", Bug: "truncate-on-stale"},
			{Seed: 1, Faults: "swarm", Bug: "match-index-from-request"},
			{Seed: 4, Faults: "swarm", Params: map[string]string{raft.ParamSpares: "2"}}, // 21 reconfigurations
			{Seed: 2, Faults: "swarm", Bug: raft.BugSnapshotDropsConfig},
			{Seed: 2, Faults: "swarm", Bug: raft.BugNonVoterVote},
		},
		Sweeps: append([]simtest.Sweep{
			{Config: harness.Config{}, Seeds: 3, OpsMin: 100},
			{Config: harness.Config{Faults: "swarm"}, Seeds: 200},
			{Config: harness.Config{Protocol: "raft-prevote", Faults: "swarm"}, Seeds: 200},
		}, clusterSizes()...),
		Bugs: []simtest.PlantedBug{
			{Bug: raft.BugFigure8, Property: "leader-completeness", SeedsMax: bugSeedsMax},
			{Bug: raft.BugVoteNotPersisted, Property: "state-durable", SeedsMax: bugSeedsMax},
			{Bug: raft.BugCommitPastVerified, Property: "state-machine-safety", SeedsMax: bugSeedsMax},
			{Bug: raft.BugStaleRead, Property: "read-fresh", SeedsMax: bugSeedsMax},
			{Bug: raft.BugVoteCount, Property: "leader-legitimacy", SeedsMax: bugSeedsMax},
			{Bug: raft.BugTruncateOnStale, Property: "state-durable", SeedsMax: bugSeedsMax},
			{Bug: raft.BugMatchFromRequest, Property: "match-index-held", SeedsMax: bugSeedsMax},
			{Bug: raft.BugSnapshotDropsConfig, Property: "leader-completeness", SeedsMax: 100},
			{Bug: raft.BugNonVoterVote, Property: "leader-legitimacy", SeedsMax: 100},
			// Ongaro's single-server bug needs two changes appended by leaders of
			// consecutive terms, each before its election no-op commits, from an
			// even number of voters: a window of one round trip after an
			// election that random runs did not hit in 4,000 seeds.
			{Bug: raft.BugConfigBeforeCommit, Property: "leader-completeness",
				CaughtElsewhere: "BFS in TestExploreConfigBeforeCommit, 4 voters, shortest counterexample 15 states"},
		},
		Rapid: &simtest.Spec{Config: rapidRun, Checks: 100},
		RapidBugs: []simtest.RapidBug{{
			Spec:     simtest.Spec{Config: bugCfg, Checks: 1000, ShrinkTime: 20 * time.Second, Faults: simtest.Budget{Episodes: 8}},
			Property: "state-machine-safety", PlanEntriesMax: 8,
		}},
	})
}

// bugSeedsMax is how many seeds each planted bug may take to be caught, with
// the fault mode simrun uses by default (swarm).
const bugSeedsMax = 2000

// clusterSizes sweeps the smallest, an even and the largest cluster, with and
// without pre-vote.
func clusterSizes() []simtest.Sweep {
	var sweeps []simtest.Sweep
	for _, nodes := range []int{1, 2, 3, 4, 9} {
		for _, proto := range []string{"raft", "raft-prevote"} {
			sweeps = append(sweeps, simtest.Sweep{Config: harness.Config{Protocol: proto, Nodes: nodes, Faults: "swarm"}, Seeds: 10})
		}
	}
	return sweeps
}
