package actors_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/orrery-sim/orrery/explore"
	"github.com/orrery-sim/orrery/explore/actors"
	_ "github.com/orrery-sim/orrery/protocols/abd"
)

// ABD's own replicas and scripted clients, three replicas, one write and two
// reads: the correct protocol has no violation to depth 12, and a quorum of
// one replica (minority-quorum) lets a read miss a completed write, found
// with a shortest counterexample (under the bound of 6 messages in flight,
// which makes the write's leftover query and reply be delivered first) that
// re-executes into a failing trace.
func TestABDExplored(t *testing.T) {
	tests := []struct {
		bug            string
		want           raftCounts
		full, reduced  int64
		wantActions    []string
		depthMax       int
		wantTraceFails string
	}{
		{bug: "", depthMax: 12, want: raftCounts{States: 16191, Depth: 12, Status: explore.StatusLimit}, full: 44631, reduced: 23447},
		{bug: "minority-quorum", depthMax: 12, want: raftCounts{States: 17409, Depth: 11, Status: explore.StatusViolated, Property: "linearizability"},
			full: 34451, reduced: 21850, wantTraceFails: "linearizability", wantActions: []string{
				`c1 ← client "write 1"`,
				"n1 ← c1 abd#0.1 e1 MsgQuery{}",
				"n2 ← c1 abd#0.1 e1 MsgQuery{}",
				"c1 ← n1 abd#0.1 → State{unset}", // one reply is a "quorum"
				`n1 ← c1 abd#0.2 e1 MsgStore{1.3 "1"}`,
				`c1 ← n1 abd#0.2 → State{1.3 "1"}`, // the write returns, stored on n1 alone
				"c1 ← n2 abd#0.1 → State{unset}",
				`c1 ← client "read"`,
				"n2 ← c1 abd#0.3 e1 MsgQuery{}",
				"c1 ← n2 abd#0.3 → State{unset}", // the read returns nothing
			}},
	}
	for _, tt := range tests {
		for _, reduce := range []bool{false, true} {
			m := protocolModel("abd", 3, tt.bug, actors.Unordered, 0)(t)
			r, err := explore.Check(context.Background(), m, explore.Options{Workers: 2, DepthMax: tt.depthMax, Reduce: reduce})
			if err != nil {
				t.Fatal(err)
			}
			want := tt.want
			want.Generated = tt.full
			if reduce {
				want.Generated = tt.reduced
			}
			if diff := cmp.Diff(want, countsOf(r)); diff != "" {
				t.Errorf("bug %q reduce=%v (-want +got):\n%s", tt.bug, reduce, diff)
			}
			if tt.wantActions == nil {
				continue
			}
			if diff := cmp.Diff(tt.wantActions, actionsOf(r)); diff != "" {
				t.Errorf("bug %q reduce=%v: counterexample (-want +got):\n%s", tt.bug, reduce, diff)
			}
			run, err := m.Trace(r.Counterexample.Choices)
			if err != nil || run.Failure != tt.wantTraceFails {
				t.Errorf("bug %q: re-executed counterexample fails %q (%v)", tt.bug, run.Failure, err)
			}
		}
	}
}
