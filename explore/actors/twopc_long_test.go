//go:build long

package actors_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/orrery-sim/orrery/explore"
	"github.com/orrery-sim/orrery/explore/actors"
	"github.com/orrery-sim/orrery/protocols"
)

// The correct two-phase commit with the agents' clocks on the unordered
// network (two participants, one transaction, up to the 300 ms vote timeout)
// is explored completely: with twopc's default 4 messages in flight, and with
// 3, the fewest at which commit-without-all-votes is found. Every agent's
// timer deadline and each participant's next question are part of a state,
// so the clock multiplies the untimed search (58,080 states with a crash,
// about 4,600 without). About 1.6 million states: make test-long.
func TestLongTwoPCTimedUnordered(t *testing.T) {
	p, err := protocols.Lookup("twopc")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		inFlightMax int
		want        raftCounts
	}{
		{4, raftCounts{States: 1441085, Generated: 4917056, Depth: 31, Status: explore.StatusComplete}},
		{3, raftCounts{States: 196297, Generated: 544500, Depth: 25, Status: explore.StatusComplete}},
	}
	for _, tt := range tests {
		cfg, err := actors.FromProtocol(p, protocols.Options{Nodes: 2}, actors.Unordered, 0)
		if err != nil {
			t.Fatal(err)
		}
		cfg.InFlightMax = tt.inFlightMax
		m, err := actors.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		r, err := explore.Check(context.Background(), m, explore.Options{Workers: 2, Reduce: true})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tt.want, countsOf(r)); diff != "" {
			t.Errorf("%d in flight (-want +got):\n%s", tt.inFlightMax, diff)
		}
	}
}
