package abd_test

import (
	"testing"
	"time"

	"github.com/orrery-sim/orrery/harness"
	"github.com/orrery-sim/orrery/protocols/abd"
	"github.com/orrery-sim/orrery/sim"
	"github.com/orrery-sim/orrery/simtest"
)

// rapidRun is short: a property test runs hundreds of cases.
var rapidRun = harness.Config{Safety: 2 * sim.Second, Liveness: 5 * sim.Second}

// TestRapid: under drawn fault plans and schedules, every property holds.
func TestRapid(t *testing.T) {
	simtest.CheckProtocol(t, "abd", simtest.Spec{Config: rapidRun, Checks: 100})
}

// TestRapidFindsPlantedBugs: each planted bug is found and shrinks to a small
// fault plan. The shrunk cases are committed under testdata/rapid/ and run
// first, so this is a fast regression test; should a change make them pass,
// the search runs afresh.
func TestRapidFindsPlantedBugs(t *testing.T) {
	for _, bug := range []string{abd.BugSkipWriteBack, abd.BugMinorityQuorum} {
		t.Run(bug, func(t *testing.T) {
			cfg := rapidRun
			cfg.Bug = bug
			f := simtest.FindProtocol(t, "abd", simtest.Spec{Config: cfg, Checks: 500, ShrinkTime: 20 * time.Second})
			if f == nil {
				t.Fatalf("%s not found in 500 cases", bug)
			}
			if len(f.Plan()) > 6 {
				t.Fatalf("shrunk plan has %d entries, want at most 6:\n%s", len(f.Plan()), f)
			}
			t.Logf("found after %d cases:\n%s", f.Cases, f)
		})
	}
}
