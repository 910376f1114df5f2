package paxos_test

import (
	"testing"

	"github.com/orrery-sim/orrery/harness"
	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/protocols/paxos"
	"github.com/orrery-sim/orrery/simtest"
)

// goldenRuns are the runs whose trace hashes testdata/golden/trace-hashes.txt pins:
// clean runs, flexible quorums, a small cluster, and each planted bug at its
// first failing seed (BUGS.md).
var goldenRuns = []harness.Config{
	{Seed: 1},
	{Seed: 7, Faults: "swarm"},
	{Seed: 3, Faults: "swarm", Nodes: 3},
	{Seed: 4, Faults: "swarm", Params: map[string]string{"q1": "4", "q2": "2"}},
	{Seed: 1, Faults: "swarm", Bug: paxos.BugNonintersectingQuorums},
	{Seed: 1, Faults: "swarm", Bug: paxos.BugIgnorePromisedValues},
	{Seed: 342, Faults: "swarm", Bug: paxos.BugPromiseReportsPromised},
}

func TestGoldenHashes(t *testing.T) {
	p, err := protocols.Lookup("paxos")
	if err != nil {
		t.Fatal(err)
	}
	simtest.AssertGoldenHashes(t, p, simtest.GoldenFile, goldenRuns)
}
