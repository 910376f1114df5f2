package actors_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/orrery-sim/orrery/explore"
	"github.com/orrery-sim/orrery/explore/actors"
	_ "github.com/orrery-sim/orrery/protocols/paxos"
)

// Multi-Paxos's own servers, three of them, two writes, ballots up to round
// 2 and 4 messages in flight: servers that decided a slot agree on it to
// depth 12. (Its planted bugs need a second leader to meet a first leader's
// accepted value, which takes more messages in flight than these bounds.)
func TestPaxosExplored(t *testing.T) {
	for _, reduce := range []bool{false, true} {
		m := protocolModel("paxos", 3, "", actors.Unordered, 0)(t)
		r, err := explore.Check(context.Background(), m, explore.Options{Workers: 2, DepthMax: 12, Reduce: reduce})
		if err != nil {
			t.Fatal(err)
		}
		want := raftCounts{States: 24649, Generated: 36478, Depth: 12, Status: explore.StatusLimit}
		if reduce {
			want.Generated = 30515
		}
		if diff := cmp.Diff(want, countsOf(r)); diff != "" {
			t.Errorf("reduce=%v (-want +got):\n%s", reduce, diff)
		}
	}
}
