package raft_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/orrery-sim/orrery/explore"
	"github.com/orrery-sim/orrery/explore/actors"
	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/protocols/raft"
)

// exploreMembership explores the membership variant (four voters, changes
// "remove n4" then "remove n1") by BFS to depth 15, at most statesMax states.
func exploreMembership(t *testing.T, bug string, statesMax int64) (*actors.Model, explore.Result) {
	t.Helper()
	p, err := protocols.Lookup("raft")
	if err != nil {
		t.Fatal(err)
	}
	o := protocols.Options{Nodes: 4, Bug: bug, Params: map[string]string{raft.ParamSpares: "0"}}
	cfg, err := actors.FromProtocol(p, o, actors.FIFO, 0)
	if err != nil {
		t.Fatal(err)
	}
	m, err := actors.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	r, err := explore.Check(context.Background(), m, explore.Options{Workers: 2, DepthMax: 15, StatesMax: statesMax})
	if err != nil {
		t.Fatal(err)
	}
	return m, r
}

// TestExploreConfigBeforeCommit: BFS finds Ongaro's single-server membership
// bug with a shortest counterexample of 15 states. n1 leads term 1 and, its
// no-op not yet committed, appends {n1 n2 n3} (removing n4) that no one else
// receives; n3 leads term 2 with n2's and n4's votes, n4 takes its no-op,
// and n3, that no-op not yet committed either, appends {n2 n3 n4} (removing
// n1), in which n3 and n4 are a majority: the no-op is committed. n1's own
// configuration {n1 n2 n3} has a majority, n1 and n2, whose logs lack it.
func TestExploreConfigBeforeCommit(t *testing.T) {
	if testing.Short() {
		t.Skip("explores about half a million states")
	}
	m, r := exploreMembership(t, raft.BugConfigBeforeCommit, 0)
	got := struct {
		States   int64
		Depth    int
		Status   explore.Status
		Property string
	}{r.States, r.Depth, r.Status, ""}
	if r.Counterexample != nil {
		got.Property = r.Counterexample.Property
	}
	want := got
	want.States, want.Depth, want.Status, want.Property = 477793, 15, explore.StatusViolated, raft.PropLeaderCompleteness
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("config-before-commit (-want +got):\n%s", diff)
	}
	var actions []string
	for _, s := range r.Counterexample.Steps[1:] {
		actions = append(actions, s.Action)
	}
	wantActions := []string{
		"n1 timer election",
		"n2 ← n1 MsgVote t1 last=0/0",
		"n3 ← n1 MsgVote t1 last=0/0",
		"n1 ← n2 MsgVoteResp t1 granted",
		"n1 ← n3 MsgVoteResp t1 granted", // n1 leads term 1 in {n1 n2 n3 n4}
		"n3 timer election",
		"n2 ← n3 MsgVote t2 last=0/0",
		"n3 ← n2 MsgVoteResp t2 granted",
		"n4 ← n3 MsgVote t2 last=0/0",
		"n3 ← n4 MsgVoteResp t2 granted", // n3 leads term 2
		"n4 ← n3 MsgApp t2 prev=0/0 commit=0 [1/2 noop]",
		"n3 ← n4 MsgAppResp t2 ok index=1",
		"n1 ← client faults.Change{Op:remove Add:-1 Remove:3}", // n1: {n1 n2 n3}, its no-op uncommitted
		"n3 ← client faults.Change{Op:remove Add:-1 Remove:0}", // n3: {n2 n3 n4}, commits 1/2 with n4
	}
	if diff := cmp.Diff(wantActions, actions); diff != "" {
		t.Errorf("counterexample (-want +got):\n%s", diff)
	}
	run, err := m.Trace(r.Counterexample.Choices)
	if err != nil || run.Failure != raft.PropLeaderCompleteness {
		t.Errorf("re-executed counterexample fails %q (%v), want %s", run.Failure, err, raft.PropLeaderCompleteness)
	}

	// The correct protocol, over more states than the bug needed, shows no
	// violation (the whole space to depth 15 is out of reach of a test).
	_, r = exploreMembership(t, "", 2*51250)
	if r.Status != explore.StatusLimit || r.Counterexample != nil {
		t.Errorf("correct raft: %v after %d states, depth %d", r.Status, r.States, r.Depth)
	}
}
