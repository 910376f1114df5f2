//go:build long

package actors_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/orrery-sim/orrery/explore"
)

// The acid test: Raft's own agents, explored by BFS, show the Figure 8 bug
// with a shortest counterexample, and the same bounded exploration of the
// correct protocol finds nothing.
// It explores about a million states: make test-long.
func TestLongRaftFigure8(t *testing.T) {
	m, r := exploreRaft(t, "figure8", raftDepthMax)
	want := raftCounts{States: 624211, Generated: 1053295, Depth: 18, Status: explore.StatusViolated, Property: "leader-completeness"}
	if diff := cmp.Diff(want, countsOf(r)); diff != "" {
		t.Fatalf("figure8 (-want +got):\n%s", diff)
	}
	var actions []string
	for _, s := range r.Counterexample.Steps[1:] {
		actions = append(actions, s.Action)
	}
	wantActions := []string{
		"n1 timer election",
		"n2 ← n1 MsgVote t1 last=0/0",
		"n1 ← n2 MsgVoteResp t1 granted", // n1 leads term 1
		"n2 timer election",
		"n3 ← n2 MsgVote t2 last=0/0",
		"n2 ← n3 MsgVoteResp t2 granted", // n2 leads term 2
		`n1 ← client put a="1"`,          // the stale leader takes a write: 1/1
		"n1 ← n2 MsgVote t2 last=0/0",
		"n1 timer election",
		"n3 ← n1 MsgVote t3 last=1/1",
		"n1 ← n3 MsgVoteResp t3 granted", // n1 leads term 3
		"n3 ← n1 MsgApp t3 prev=1/1 commit=0",
		"n1 ← n3 MsgAppResp t3 reject index=1 hint=1/0",
		`n3 ← n1 MsgApp t3 prev=0/0 commit=0 [1/1 ext#1 put a="1"]`,
		"n1 ← n3 MsgAppResp t3 ok index=1",
		`n1 ← client put a="2"`, // 2/3 on n1; counting replicas commits 1/1 (the bug)
		`n2 ← client put a="3"`, // 1/2 on n2, whose log now beats the majority's
	}
	if diff := cmp.Diff(wantActions, actions); diff != "" {
		t.Errorf("counterexample (-want +got):\n%s", diff)
	}
	run, err := m.Trace(r.Counterexample.Choices)
	if err != nil || run.Failure != "leader-completeness" {
		t.Errorf("re-executed counterexample fails %q (%v), want leader-completeness", run.Failure, err)
	}

	if diff := cmp.Diff(figure8Choices, r.Counterexample.Choices); diff != "" {
		t.Errorf("choices of the counterexample (-want +got), pinned in figure8Choices:\n%s", diff)
	}

	_, r = exploreRaft(t, "", raftDepthMax)
	want = raftCounts{States: 471247, Generated: 746572, Depth: 18, Status: explore.StatusLimit}
	if diff := cmp.Diff(want, countsOf(r)); diff != "" {
		t.Errorf("correct raft (-want +got):\n%s", diff)
	}
}
