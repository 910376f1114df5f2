package twophase_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/orrery-sim/orrery/explore"
	"github.com/orrery-sim/orrery/explore/models/twophase"
)

type counts struct {
	States, Generated int64
	Depth             int
	Status            explore.Status
}

func check(t *testing.T, m *twophase.Model, o explore.Options) explore.Result {
	t.Helper()
	r, err := explore.Check[twophase.State, twophase.Action](context.Background(), m, o)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestCountsMatchTLC pins the reachable state space. TLC's published run of
// TwoPhase.tla with 3 RMs reports 288 distinct states, 1146 states generated and
// depth 11, and the spec's comment gives 50816 states for 6 RMs. Our
// conventions are TLC's: Generated counts the initial state plus every
// successor computed (self-loops such as a repeated TMRcvPrepared included) and
// Depth counts the initial state as depth 1. The other rows are our own runs.
func TestCountsMatchTLC(t *testing.T) {
	tests := []struct {
		rms  int
		want counts
	}{
		{1, counts{12, 20, 5, explore.StatusComplete}},
		{2, counts{56, 154, 8, explore.StatusComplete}},
		{3, counts{288, 1146, 11, explore.StatusComplete}}, // TLC
		{4, counts{1568, 8258, 14, explore.StatusComplete}},
		{5, counts{8832, 58146, 17, explore.StatusComplete}},
		{6, counts{50816, 402306, 20, explore.StatusComplete}}, // states: TwoPhase.tla comment
	}
	for _, tt := range tests {
		r := check(t, twophase.New(tt.rms), explore.Options{Workers: 2})
		got := counts{r.States, r.Generated, r.Depth, r.Status}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%d RMs (-want +got):\n%s", tt.rms, diff)
		}
	}
}

// TestSymmetryCounts pins the orbit counts (verified by brute force in
// TestSymmetryIsExact for small sizes).
func TestSymmetryCounts(t *testing.T) {
	want := map[int]int64{1: 12, 2: 34, 3: 80, 4: 166, 5: 314, 6: 553, 7: 920}
	got := map[int]int64{}
	for rms := range want {
		got[rms] = check(t, twophase.New(rms), explore.Options{Symmetry: true}).States
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("orbits (-want +got):\n%s", diff)
	}
}

func TestBugIsCaught(t *testing.T) {
	m := twophase.New(2)
	m.Bug = true
	r := check(t, m, explore.Options{})
	if r.Status != explore.StatusViolated || r.Counterexample == nil || r.Counterexample.Property != "TCConsistent" {
		t.Fatalf("want a TCConsistent violation, got %+v", r)
	}
	// Shortest: both RMs prepare, the TM receives both and commits, rm1
	// commits and rm2 breaks its promise: 8 states.
	if n := len(r.Counterexample.Steps); n != 8 {
		t.Errorf("counterexample has %d states, want 8", n)
	}
}

// TestVisitedBytesPerState holds the fingerprint mode to its memory budget: the
// visited set plus the parent links that rebuild counterexamples take at most
// 16 bytes per stored state once the fixed overhead of the empty tables is
// amortised. (296448 states for 7 RMs is also SPIN's count for the equivalent
// Promela model in bench/explore, as are 1745408 for 8 and 10340352 for 9.)
func TestVisitedBytesPerState(t *testing.T) {
	const bytesPerStateMax = 16
	r := check(t, twophase.New(7), explore.Options{})
	if r.States != 296448 || r.VisitedBytesPerState > bytesPerStateMax {
		t.Errorf("%d states at %.1f visited-set bytes each, want 296448 at most %d", r.States, r.VisitedBytesPerState, bytesPerStateMax)
	}
	// The process pays more than its visited set: the frontier, the states
	// being expanded, garbage not yet collected.
	if r.BytesPerState < r.VisitedBytesPerState {
		t.Errorf("process bytes/state %.1f below the visited set's %.1f", r.BytesPerState, r.VisitedBytesPerState)
	}
}
