package raft_test

import (
	"testing"
	"time"

	"github.com/orrery-sim/orrery/harness"
	"github.com/orrery-sim/orrery/protocols/raft"
	"github.com/orrery-sim/orrery/sim"
	"github.com/orrery-sim/orrery/simtest"
)

// rapidRun is short: a property test runs hundreds of cases.
var rapidRun = harness.Config{Safety: 3 * sim.Second, Liveness: 10 * sim.Second}

// TestRapid: under drawn fault plans and schedules, every property holds.
func TestRapid(t *testing.T) {
	simtest.CheckProtocol(t, "raft", simtest.Spec{Config: rapidRun, Checks: 100})
}

// TestRapidFindsCommitPastVerified: the planted bug is found and its fault
// plan shrinks to a few episodes. The shrunk case is committed under
// testdata/rapid/ and runs first, so this is a fast regression test; should a
// change to raft make it pass, the search runs afresh.
func TestRapidFindsCommitPastVerified(t *testing.T) {
	cfg := rapidRun
	cfg.Bug, cfg.Safety = raft.BugCommitPastVerified, 5*sim.Second
	f := simtest.FindProtocol(t, "raft", simtest.Spec{Config: cfg, Checks: 1000, ShrinkTime: 20 * time.Second,
		Faults: simtest.Budget{Episodes: 8}})
	if f == nil {
		t.Fatal("commit-past-verified not found in 1000 cases")
	}
	if len(f.Plan()) > 8 {
		t.Fatalf("shrunk plan has %d entries, want at most 8:\n%s", len(f.Plan()), f)
	}
	t.Logf("%s", f)
}
