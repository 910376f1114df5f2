package primarybackup_test

import (
	"testing"

	"github.com/orrery-sim/orrery/examples/primarybackup"
	"github.com/orrery-sim/orrery/harness"
	"github.com/orrery-sim/orrery/simtest"
)

// goldenRuns are the runs whose trace hashes testdata/golden/trace-hashes.txt pins:
// clean runs and the planted bug caught.
var goldenRuns = []harness.Config{
	{Seed: 1},
	{Seed: 2, Faults: "swarm"},
	{Seed: 238, Faults: "swarm", Bug: primarybackup.BugEarlyAck}, // its first failing seed,
}

func TestGoldenHashes(t *testing.T) {
	simtest.AssertGoldenHashes(t, primarybackup.Protocol, simtest.GoldenFile, goldenRuns)
}
