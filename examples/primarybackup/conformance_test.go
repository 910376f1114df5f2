package primarybackup_test

import (
	"testing"

	"github.com/orrery-sim/orrery/examples/primarybackup"
	"github.com/orrery-sim/orrery/harness"
	"github.com/orrery-sim/orrery/simtest"
)

// TestConformance is the suite Orrery's own protocols pass: trace hashes
// pinned in testdata/golden/, a clean sweep, and the planted bug caught by a
// seed sweep within its budget (BUGS.md). The property tests are the two
// above, which show simtest.Check and simtest.Find at work.
func TestConformance(t *testing.T) {
	simtest.Conformance(t, simtest.Suite{
		Protocol: primarybackup.Protocol,
		Golden: []harness.Config{
			{Seed: 1},
			{Seed: 2, Faults: "swarm"},
			{Seed: 238, Faults: "swarm", Bug: primarybackup.BugEarlyAck}, // its first failing seed
		},
		Sweeps: []simtest.Sweep{
			{Config: harness.Config{Faults: "none"}, Seeds: 100, OpsMin: 7},
			{Config: harness.Config{Faults: "swarm"}, Seeds: 200},
		},
		Bugs: []simtest.PlantedBug{
			{Bug: primarybackup.BugEarlyAck, Property: "read-acknowledged-writes", SeedsMax: 300},
		},
	})
}
