package paxos_test

import (
	"testing"
	"time"

	"github.com/orrery-sim/orrery/harness"
	"github.com/orrery-sim/orrery/protocols/paxos"
	"github.com/orrery-sim/orrery/sim"
	"github.com/orrery-sim/orrery/simtest"
)

// rapidRun is short: a property test runs hundreds of cases.
var rapidRun = harness.Config{Safety: 3 * sim.Second, Liveness: 10 * sim.Second}

// TestRapid: under drawn fault plans and schedules, every property holds.
func TestRapid(t *testing.T) {
	simtest.CheckProtocol(t, "paxos", simtest.Spec{Config: rapidRun, Checks: 100})
}

// TestRapidFindsPlantedBug: a planted bug is found and shrinks to a small
// fault plan. The shrunk case is committed under testdata/rapid/ and runs
// first, so this is a fast regression test; should a change make it pass, the
// search runs afresh.
func TestRapidFindsPlantedBug(t *testing.T) {
	cfg := rapidRun
	cfg.Bug = paxos.BugIgnorePromisedValues
	f := simtest.FindProtocol(t, "paxos", simtest.Spec{Config: cfg, Checks: 500, ShrinkTime: 20 * time.Second})
	if f == nil {
		t.Fatalf("%s not found in 500 cases", cfg.Bug)
	}
	if len(f.Plan()) > 8 {
		t.Fatalf("shrunk plan has %d entries, want at most 8:\n%s", len(f.Plan()), f)
	}
	t.Logf("found after %d cases:\n%s", f.Cases, f)
}
