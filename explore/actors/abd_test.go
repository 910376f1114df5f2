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
// reads, each client one operation at a time, 8 messages in flight: the
// correct protocol has no violation to depth 12, and a quorum of one
// replica (minority-quorum) lets a read miss a completed write, found with
// a shortest counterexample that re-executes into a failing trace. The
// explanation has no clock to show: it orders invocations and returns
// (t1, t2, ...) and names each request by the client agent it went to.
func TestABDExplored(t *testing.T) {
	tests := []struct {
		bug            string
		want           raftCounts
		full, reduced  int64
		wantActions    []string
		depthMax       int
		wantTraceFails string
		wantReason     string
	}{
		{bug: "", depthMax: 12, want: raftCounts{States: 8861, Depth: 12, Status: explore.StatusLimit}, full: 26437, reduced: 13269},
		{bug: "minority-quorum", depthMax: 12, want: raftCounts{States: 8065, Depth: 9, Status: explore.StatusViolated, Property: "linearizability"},
			full: 19293, reduced: 10308, wantTraceFails: "linearizability", wantActions: []string{
				`c1 ← client "write 1"`,
				"n1 ← c1 abd#0.1 e1 MsgQuery{}",
				"c1 ← n1 abd#0.1 → State{unset}", // one reply is a "quorum"
				`n1 ← c1 abd#0.2 e1 MsgStore{1.3 "1"}`,
				`c1 ← n1 abd#0.2 → State{1.3 "1"}`, // the write returns, stored on n1 alone
				`c1 ← client "read"`,
				"n2 ← c1 abd#0.3 e1 MsgQuery{}",
				"c1 ← n2 abd#0.3 → State{unset}", // the read returns nothing
			},
			wantReason: `2 operations (no clock under exploration: tN is the history's N-th invocation or return): verdict: illegal
partition 0: illegal (2 ops)
  longest linearizable prefix: 1 ops, from initial state nil
     1. #0 client→c1 [t1,t2] write("1")  => "1"
  cannot place next:
   !  #1 client→c1 [t3,t4] read() -> nil: not allowed in state "1"; it returned, so it must take effect before anything invoked later`},
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
				continue
			}
			if diff := cmp.Diff(tt.wantReason, run.Reason); diff != "" {
				t.Errorf("bug %q: reason (-want +got):\n%s", tt.bug, diff)
			}
		}
	}
}

// skip-write-back under ABD's default exploration bounds (depth 17, 8
// messages in flight): a read that returns what its query found without
// writing it back lets a later read return the older value while the write
// is still open (a new-old inversion). Linearizability, judged on every
// explored state over the history's logical times, fails; the shortest
// counterexample re-executes into a trace that fails the same way.
func TestABDSkipWriteBackExplored(t *testing.T) {
	m := protocolModel("abd", 3, "skip-write-back", actors.Unordered, 0)(t)
	r, err := explore.Check(context.Background(), m, explore.Options{Workers: 2, DepthMax: m.DepthMax(), Reduce: true})
	if err != nil {
		t.Fatal(err)
	}
	want := raftCounts{States: 196817, Generated: 316260, Depth: 17, Status: explore.StatusViolated, Property: "linearizability"}
	if diff := cmp.Diff(want, countsOf(r)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	wantActions := []string{
		`c1 ← client "write 1"`,
		"n1 ← c1 abd#0.1 e1 MsgQuery{}",
		"n2 ← c1 abd#0.1 e1 MsgQuery{}",
		"c1 ← n1 abd#0.1 → State{unset}",
		"c1 ← n2 abd#0.1 → State{unset}",
		`n1 ← c1 abd#0.2 e1 MsgStore{1.3 "1"}`, // the write's store reaches n1 only; the write stays open
		`c2 ← client "read"`,
		"n1 ← c2 abd#0.1 e1 MsgQuery{}",
		"n2 ← c2 abd#0.1 e1 MsgQuery{}",
		`c2 ← n1 abd#0.1 → State{1.3 "1"}`,
		"c2 ← n2 abd#0.1 → State{unset}", // the read returns "1" without writing it back
		`c2 ← client "read"`,
		"n2 ← c2 abd#0.2 e1 MsgQuery{}",
		"n3 ← c2 abd#0.2 e1 MsgQuery{}",
		"c2 ← n2 abd#0.2 → State{unset}",
		"c2 ← n3 abd#0.2 → State{unset}", // a later read returns the older value
	}
	if diff := cmp.Diff(wantActions, actionsOf(r)); diff != "" {
		t.Errorf("counterexample (-want +got):\n%s", diff)
	}
	run, err := m.Trace(r.Counterexample.Choices)
	if err != nil || run.Failure != "linearizability" {
		t.Errorf("re-executed counterexample fails %q (%v), want linearizability", run.Failure, err)
	}
}
