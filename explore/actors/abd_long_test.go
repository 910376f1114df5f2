//go:build long

package actors_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/orrery-sim/orrery/explore"
	"github.com/orrery-sim/orrery/explore/actors"
)

// The correct ABD within its default exploration bounds (three replicas, one
// write and two reads, 8 messages in flight, depth 17: the bounds under which
// skip-write-back is found) has no violation. About 200,000 states: make
// test-long.
func TestLongABDExplored(t *testing.T) {
	m := protocolModel("abd", 3, "", actors.Unordered, 0)(t)
	r, err := explore.Check(context.Background(), m, explore.Options{Workers: 2, DepthMax: m.DepthMax(), Reduce: true})
	if err != nil {
		t.Fatal(err)
	}
	want := raftCounts{States: 205619, Generated: 339674, Depth: 17, Status: explore.StatusLimit}
	if diff := cmp.Diff(want, countsOf(r)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
