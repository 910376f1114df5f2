package chat_test

import (
	"testing"
	"time"

	"github.com/orrery-sim/orrery/harness"
	"github.com/orrery-sim/orrery/protocols/chat"
	"github.com/orrery-sim/orrery/sim"
	"github.com/orrery-sim/orrery/simtest"
)

// rapidRun is short: a property test runs hundreds of cases.
var rapidRun = harness.Config{Safety: 3 * sim.Second, Liveness: 5 * sim.Second}

// TestRapid: under drawn fault plans and schedules, every property holds.
func TestRapid(t *testing.T) {
	simtest.CheckProtocol(t, "chat", simtest.Spec{Config: rapidRun, Checks: 100})
}

// TestRapidFindsPlantedBugs: each planted bug is found and shrinks to a small
// fault plan. The shrunk cases are committed under testdata/rapid/, and rapid
// runs them first, so this test is a fast, deterministic regression test; with
// them deleted it searches afresh (and writes new ones).
func TestRapidFindsPlantedBugs(t *testing.T) {
	tests := []struct {
		bug, property string
		entriesMax    int // fault plan entries after shrinking
	}{
		{chat.BugNoHoldBack, "fifo-per-origin", 2},
		{chat.BugNoDedupe, "no-duplicate-delivery", 2},
	}
	for _, tt := range tests {
		t.Run(tt.bug, func(t *testing.T) {
			cfg := rapidRun
			cfg.Bug = tt.bug
			f := simtest.FindProtocol(t, "chat", simtest.Spec{Config: cfg, Checks: 200, ShrinkTime: 20 * time.Second})
			if f == nil {
				t.Fatalf("%s not found in 200 cases", tt.bug)
			}
			if f.Result.Property != tt.property || len(f.Plan()) > tt.entriesMax {
				t.Fatalf("found %s with %d plan entries, want %s with at most %d:\n%s", f.Result.Property, len(f.Plan()), tt.property, tt.entriesMax, f)
			}
			t.Logf("%s", f)
		})
	}
}
