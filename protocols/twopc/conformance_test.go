package twopc_test

import (
	"testing"

	"github.com/orrery-sim/orrery/harness"
	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/protocols/twopc"
	"github.com/orrery-sim/orrery/simtest"
)

// goldenRuns are the runs whose trace hashes testdata/golden/trace-hashes.txt pins:
// clean runs, a larger cluster, and each planted bug at its first failing seed
// (BUGS.md).
var goldenRuns = []harness.Config{
	{Seed: 1},
	{Seed: 7, Faults: "swarm"},
	{Seed: 3, Faults: "swarm", Nodes: 5, Clients: 4},
	{Seed: 1, Faults: "swarm", Bug: twopc.BugCommitWithoutVotes},
	{Seed: 8, Faults: "swarm", Bug: twopc.BugForgetYesVote},
	{Seed: 3, Faults: "swarm", Bug: twopc.BugDecisionChanges},
}

func TestGoldenHashes(t *testing.T) {
	p, err := protocols.Lookup("twopc")
	if err != nil {
		t.Fatal(err)
	}
	simtest.AssertGoldenHashes(t, p, simtest.GoldenFile, goldenRuns)
}
