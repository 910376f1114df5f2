package actors_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/orrery-sim/orrery/explore"
	"github.com/orrery-sim/orrery/explore/actors"
	"github.com/orrery-sim/orrery/protocols"
	_ "github.com/orrery-sim/orrery/protocols/raft"
)

// raftDepthMax is the depth of the shortest Figure 8 counterexample under
// Raft's explored bounds (three servers, terms up to 3, three client writes,
// logs up to 2 entries; see protocols/raft/explore.go), so the correct
// protocol is explored exactly as deep.
const raftDepthMax = 18

func exploreRaft(t *testing.T, bug string) (*actors.Model, explore.Result) {
	t.Helper()
	p, err := protocols.Lookup("raft")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := actors.FromProtocol(p, protocols.Options{Nodes: 3, Bug: bug}, actors.FIFO, 0)
	if err != nil {
		t.Fatal(err)
	}
	m, err := actors.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	r, err := explore.Check(context.Background(), m, explore.Options{Workers: 2, DepthMax: raftDepthMax})
	if err != nil {
		t.Fatal(err)
	}
	return m, r
}

type raftCounts struct {
	States, Generated int64
	Depth             int
	Status            explore.Status
	Property          string
}

func countsOf(r explore.Result) raftCounts {
	c := raftCounts{States: r.States, Generated: r.Generated, Depth: r.Depth, Status: r.Status}
	if r.Counterexample != nil {
		c.Property = r.Counterexample.Property
	}
	return c
}

// The acid test: Raft's own agents, explored by BFS, show the Figure 8 bug
// with a shortest counterexample, and the same bounded exploration of the
// correct protocol finds nothing.
func TestRaftFigure8(t *testing.T) {
	if testing.Short() {
		t.Skip("explores about a million states")
	}
	m, r := exploreRaft(t, "figure8")
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

	_, r = exploreRaft(t, "")
	want = raftCounts{States: 471247, Generated: 746572, Depth: 18, Status: explore.StatusLimit}
	if diff := cmp.Diff(want, countsOf(r)); diff != "" {
		t.Errorf("correct raft (-want +got):\n%s", diff)
	}
}
