package raft_test

import (
	"testing"

	"github.com/orrery-sim/orrery/harness"
	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/simtest"
)

// goldenRuns are the runs whose trace hashes testdata/golden/trace-hashes.txt pins:
// clean runs under each fault mode and scheduler, pre-vote, a small cluster,
// and each planted bug at its first failing seed (BUGS.md).
var goldenRuns = []harness.Config{
	{Seed: 1},
	{Seed: 42, Faults: "swarm"},
	{Seed: 7, Faults: "default"},
	{Seed: 5, Faults: "swarm", Scheduler: harness.SchedulerPCT},
	{Seed: 3, Faults: "swarm", Nodes: 3, Clients: 2},
	{Protocol: "raft-prevote", Seed: 3, Faults: "swarm"},
	{Seed: 210, Faults: "swarm", Bug: "figure8"},
	{Seed: 119, Faults: "swarm", Bug: "vote-not-persisted"},
	{Seed: 1, Faults: "swarm", Bug: "commit-past-verified"},
	{Seed: 50, Faults: "swarm", Bug: "stale-read"},
	{Seed: 5, Faults: "swarm", Bug: "vote-count"},
	{Seed: 1, Faults: "swarm", Bug: "truncate-on-stale"},
}

func TestGoldenHashes(t *testing.T) {
	p, err := protocols.Lookup("raft")
	if err != nil {
		t.Fatal(err)
	}
	simtest.AssertGoldenHashes(t, p, simtest.GoldenFile, goldenRuns)
}
