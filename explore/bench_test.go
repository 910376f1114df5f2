package explore_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/orrery-sim/orrery/explore"
	"github.com/orrery-sim/orrery/explore/models/twophase"
)

// BenchmarkTwoPhase measures the parallel BFS on TwoPhase; states/s is the
// figure to compare with SPIN and TLC.
func BenchmarkTwoPhase(b *testing.B) {
	for _, rms := range []int{5, 7} {
		for _, workers := range []int{1, 2} {
			b.Run(fmt.Sprintf("rms=%d/workers=%d", rms, workers), func(b *testing.B) {
				var r explore.Result
				for b.Loop() {
					var err error
					r, err = explore.Check[twophase.State, twophase.Action](context.Background(), twophase.New(rms), explore.Options{Workers: workers})
					if err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(r.States)*float64(b.N)/b.Elapsed().Seconds(), "states/s")
				b.ReportMetric(r.BytesPerState, "bytes/state")
				b.ReportMetric(r.VisitedBytesPerState, "visited-bytes/state")
			})
		}
	}
}

// BenchmarkTwoPhaseSymmetry measures the cost of canonicalisation.
func BenchmarkTwoPhaseSymmetry(b *testing.B) {
	for b.Loop() {
		_, err := explore.Check[twophase.State, twophase.Action](context.Background(), twophase.New(9), explore.Options{Symmetry: true})
		if err != nil {
			b.Fatal(err)
		}
	}
}
