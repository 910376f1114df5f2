package paxos_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/orrery-sim/orrery/explore"
	"github.com/orrery-sim/orrery/explore/models/paxos"
)

type counts struct {
	States, Generated int64
	Depth             int
	Status            explore.Status
}

// TestCounts pins the state space. The first row is TLC's published run of
// MCPaxos (the TLA+ examples' manifest: 1 acceptor, 1 value, ballots 0..1, 25
// distinct states, 82 states generated, depth 9; TLC's generated count
// includes the initial state and its depth counts the initial state as 1, as
// ours do). The others are our own runs: we found no published TLC figure for
// them.
func TestCounts(t *testing.T) {
	tests := []struct {
		acceptors, values, ballots int
		want                       counts
	}{
		{1, 1, 2, counts{25, 82, 9, explore.StatusComplete}}, // TLC
		{3, 1, 2, counts{1681, 9691, 17, explore.StatusComplete}},
		{3, 2, 2, counts{3921, 22995, 17, explore.StatusComplete}},
	}
	for _, tt := range tests {
		r, err := explore.Check[paxos.State, paxos.Action](context.Background(), paxos.New(tt.acceptors, tt.values, tt.ballots), explore.Options{})
		if err != nil {
			t.Fatal(err)
		}
		got := counts{r.States, r.Generated, r.Depth, r.Status}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%d acceptors, %d values, %d ballots (-want +got):\n%s", tt.acceptors, tt.values, tt.ballots, diff)
		}
	}
}

// TestMinorityQuorumsBreakConsistency plants the classic bug: with quorums of
// one acceptor out of three, two values get chosen.
func TestMinorityQuorumsBreakConsistency(t *testing.T) {
	m := paxos.NewWithQuorum(3, 2, 2, 1)
	r, err := explore.Check[paxos.State, paxos.Action](context.Background(), m, explore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != explore.StatusViolated || r.Counterexample == nil || r.Counterexample.Property != "Consistency" {
		t.Fatalf("want a Consistency violation, got %+v", r)
	}
	// Shortest: 1a(0), 1a(1); a1 and a2 promise in different ballots; each
	// ballot's leader proposes a different value; a1 and a2 vote: 9 states.
	if n := len(r.Counterexample.Steps); n != 9 {
		t.Errorf("counterexample has %d states, want 9", n)
	}
}
