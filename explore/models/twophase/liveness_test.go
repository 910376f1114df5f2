package twophase_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/orrery-sim/orrery/explore"
	"github.com/orrery-sim/orrery/explore/models/twophase"
)

type liveCounts struct {
	States, Edges int64
	Status        explore.Status
	Termination   string
}

// TestTermination: under weak fairness every run of TwoPhase ends with all
// RMs committed or all aborted. The graph holds every transition (Edges is
// Generated less the initial state); the TMRcvPrepared self-loops are
// cycles on which Termination never holds, but TMAbort is enabled all
// along them and never taken, so they are unfair and not reported.
func TestTermination(t *testing.T) {
	want := map[int]liveCounts{
		1: {12, 19, explore.StatusComplete, explore.VerdictHolds},
		3: {288, 1145, explore.StatusComplete, explore.VerdictHolds},
		5: {8832, 58145, explore.StatusComplete, explore.VerdictHolds},
	}
	for rms, w := range want {
		for _, workers := range []int{1, 2} {
			r := check(t, twophase.New(rms), explore.Options{Liveness: true, Workers: workers})
			got := liveCounts{r.States, r.Edges, r.Status, r.Properties[4].Verdict}
			if diff := cmp.Diff(w, got); diff != "" {
				t.Errorf("%d RMs, %d workers (-want +got):\n%s", rms, workers, diff)
			}
		}
	}
}

// TestNoTimeoutBreaksTermination: a TM without a timeout waits for ever for
// the Prepared message of an RM that chose to abort. The lasso: rm1
// prepares and the TM receives it, rm2 aborts, and then the only enabled
// action, the TM receiving rm1's Prepared again, repeats for ever.
func TestNoTimeoutBreaksTermination(t *testing.T) {
	m := twophase.New(2)
	m.NoTimeout = true
	r := check(t, m, explore.Options{Liveness: true})
	if r.Status != explore.StatusViolated || r.States != 20 || r.Counterexample == nil || r.Counterexample.Property != "Termination" {
		t.Fatalf("want Termination violated in 20 states, got %s in %d: %+v", r.Status, r.States, r.Counterexample)
	}
	var b strings.Builder
	r.Counterexample.WriteSteps(&b)
	want := `    1 init
      rmState=[rm1=working rm2=working] tmState=init tmPrepared={} msgs={}
    2 RMPrepare(rm1)
      rmState=[rm1=prepared rm2=working] tmState=init tmPrepared={} msgs={Prepared(rm1)}
    3 TMRcvPrepared(rm1)
      rmState=[rm1=prepared rm2=working] tmState=init tmPrepared={rm1} msgs={Prepared(rm1)}
    4 RMChooseToAbort(rm2)
      rmState=[rm1=prepared rm2=aborted] tmState=init tmPrepared={rm1} msgs={Prepared(rm1)}
  --- cycle: step 5 leads back to the state of step 4, for ever ---
    5 TMRcvPrepared(rm1)
      rmState=[rm1=prepared rm2=aborted] tmState=init tmPrepared={rm1} msgs={Prepared(rm1)}
  --- back to the state of step 4 ---
`
	if diff := cmp.Diff(want, b.String()); diff != "" {
		t.Errorf("counterexample (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]int{0, 0, 0, 2, 0}, r.Counterexample.Choices); diff != "" {
		t.Errorf("choices (-want +got):\n%s", diff)
	}
}
