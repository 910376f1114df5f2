//go:build long

package actors_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/orrery-sim/orrery/explore"
	"github.com/orrery-sim/orrery/explore/actors"
)

// The correct protocol within the default bounds (three servers, terms up
// to 3, three writes, logs up to 2 entries, 4 messages in flight, depth 18)
// has no violation, with and without reduction. About 300,000 states, twice:
// make test-long.
func TestLongRaftExplored(t *testing.T) {
	for _, reduce := range []bool{false, true} {
		_, r := exploreRaft(t, "", actors.Unordered, 0, reduce)
		want := raftCounts{States: 313890, Generated: 457882, Depth: 18, Status: explore.StatusLimit}
		if reduce {
			want.Generated = 387009
		}
		if diff := cmp.Diff(want, countsOf(r)); diff != "" {
			t.Errorf("reduce=%v (-want +got):\n%s", reduce, diff)
		}
	}
}
