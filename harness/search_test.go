package harness_test

import (
	"testing"

	"github.com/orrery-sim/orrery/harness"
	_ "github.com/orrery-sim/orrery/protocols/chat"
)

// TestFirstFailureIndependentOfWorkers: the lowest failing seed and the cost of
// finding it are the same on 1 and 4 workers, and a clean range reports none.
func TestFirstFailureIndependentOfWorkers(t *testing.T) {
	cfg := harness.Config{Protocol: "chat", Bug: "no-hold-back", Faults: "none"}
	var got [2]harness.Search
	for i, workers := range []int{1, 4} {
		s, err := harness.FirstFailure(cfg, 1, 40, workers)
		if err != nil {
			t.Fatal(err)
		}
		if s.Failure == nil {
			t.Fatalf("workers=%d: no seed failed", workers)
		}
		got[i] = s
	}
	if got[0].Failure.Config.Seed != got[1].Failure.Config.Seed || got[0].EventsBefore != got[1].EventsBefore {
		t.Fatalf("1 worker: seed %d after %d events; 4 workers: seed %d after %d events",
			got[0].Failure.Config.Seed, got[0].EventsBefore, got[1].Failure.Config.Seed, got[1].EventsBefore)
	}
	clean, err := harness.FirstFailure(harness.Config{Protocol: "chat", Faults: "none"}, 1, 10, 2)
	if err != nil || clean.Failure != nil || clean.EventsBefore == 0 {
		t.Fatalf("clean range: %+v, %v", clean, err)
	}
	if _, err := harness.FirstFailure(harness.Config{Protocol: "nope"}, 1, 2, 2); err == nil {
		t.Fatal("bad config accepted")
	}
}
