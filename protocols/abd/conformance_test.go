package abd_test

import (
	"testing"

	"github.com/orrery-sim/orrery/harness"
	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/protocols/abd"
	"github.com/orrery-sim/orrery/simtest"
)

// goldenRuns are the runs whose trace hashes testdata/golden/trace-hashes.txt pins:
// clean runs and each planted bug at its first failing seed (BUGS.md).
var goldenRuns = []harness.Config{
	{Seed: 1},
	{Seed: 1, Faults: "swarm"},
	{Seed: 7, Faults: "swarm"},
	{Seed: 2, Faults: "swarm", Bug: abd.BugSkipWriteBack},
	{Seed: 1, Faults: "swarm", Bug: abd.BugMinorityQuorum},
}

func TestGoldenHashes(t *testing.T) {
	p, err := protocols.Lookup("abd")
	if err != nil {
		t.Fatal(err)
	}
	simtest.AssertGoldenHashes(t, p, simtest.GoldenFile, goldenRuns)
}
