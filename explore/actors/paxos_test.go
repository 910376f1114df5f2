package actors_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/orrery-sim/orrery/explore"
	"github.com/orrery-sim/orrery/explore/actors"
	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/protocols/paxos"
)

// Multi-Paxos's own servers, three of them, two writes, ballots up to round
// 2 and 4 messages in flight: servers that decided a slot agree on it to
// depth 12.
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

// Two Paxos servers, each a proposer and an acceptor, competing for one slot
// with two writes (ballot rounds up to 2, 4 messages in flight, no depth
// bound; partial-order reduction on): the correct protocol is explored completely, with the default
// quorums (Q1 = 1, Q2 = 2) and with Q2 = 1 (then Q1 = 2). Two planted bugs
// break agreement, each found by BFS with a shortest counterexample that
// re-executes into a failing trace: a new leader that ignores the values
// its promises report, and quorums that do not intersect (Q1 = Q2 = 1).
func TestPaxosTwoProposers(t *testing.T) {
	p, err := protocols.Lookup("paxos")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		bug         string
		params      map[string]string
		want        raftCounts
		wantActions []string
	}{
		{bug: "", want: raftCounts{States: 49606, Generated: 103364, Depth: 22, Status: explore.StatusComplete}},
		{bug: "", params: map[string]string{paxos.ParamQ2: "1"}, want: raftCounts{States: 29761, Generated: 58476, Depth: 22, Status: explore.StatusComplete}},
		{bug: paxos.BugIgnorePromisedValues, want: raftCounts{States: 9904, Generated: 15339, Depth: 11, Status: explore.StatusViolated, Property: paxos.PropSamePrefix},
			wantActions: []string{
				"n1 timer election", // Q1 = 1: n1 leads ballot 1.n1 on its own promise
				"n2 ← n1 MsgHeartbeat b1.n1 applied=0",
				`n1 ← client update a="1"`,
				`n2 ← n1 MsgAccept b1.n1 slot=1 ext#1 update a="1"`,
				"n1 ← n2 MsgAccepted b1.n1 slot=1", // Q2 = 2: n1 decides "1" in slot 1
				"n2 timer election",                // n2's own promise reports "1" accepted in 1.n1, which n2 ignores
				"n1 ← n2 MsgHeartbeat b2.n2 applied=0",
				`n2 ← client update a="2"`, // so n2 proposes "2" in slot 1
				`n1 ← n2 MsgAccept b2.n2 slot=1 ext#2 update a="2"`,
				"n2 ← n1 MsgAccepted b2.n2 slot=1", // and decides it
			}},
		{bug: paxos.BugNonintersectingQuorums, params: map[string]string{paxos.ParamQ2: "1"}, want: raftCounts{States: 1121, Generated: 1519, Depth: 8, Status: explore.StatusViolated, Property: paxos.PropSamePrefix},
			wantActions: []string{
				"n1 timer election", // Q1 = 1 (should be 2): n1 leads ballot 1.n1 alone
				"n2 ← n1 MsgHeartbeat b1.n1 applied=0",
				"n2 ← n1 MsgPrepare b1.n1 from=1",
				"n1 ← n2 MsgPromise b1.n1 from=1 decided=0 []",
				"n2 timer election",        // n2 leads ballot 2.n2 alone, without hearing of slot 1
				`n1 ← client update a="1"`, // Q2 = 1: n1 decides "1" in slot 1
				`n2 ← client update a="2"`, // and n2 decides "2" there
			}},
	}
	for _, tt := range tests {
		{
			cfg, err := actors.FromProtocol(p, protocols.Options{Nodes: 2, Bug: tt.bug, Params: tt.params}, actors.Unordered, 0)
			if err != nil {
				t.Fatal(err)
			}
			m, err := actors.New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			r, err := explore.Check(context.Background(), m, explore.Options{Workers: 2, DepthMax: m.DepthMax(), Reduce: true})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, countsOf(r)); diff != "" {
				t.Errorf("bug %q params %v (-want +got):\n%s", tt.bug, tt.params, diff)
			}
			if r.Counterexample == nil {
				continue
			}
			if diff := cmp.Diff(tt.wantActions, actionsOf(r)); diff != "" {
				t.Errorf("bug %q: counterexample (-want +got):\n%s", tt.bug, diff)
			}
			run, err := m.Trace(r.Counterexample.Choices)
			if err != nil || run.Failure != paxos.PropSamePrefix {
				t.Errorf("bug %q: re-executed counterexample fails %q (%v), want %s", tt.bug, run.Failure, err, paxos.PropSamePrefix)
			}
		}
	}
}
