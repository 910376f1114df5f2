package actors_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/orrery-sim/orrery/explore"
	"github.com/orrery-sim/orrery/explore/actors"
	"github.com/orrery-sim/orrery/protocols"
	_ "github.com/orrery-sim/orrery/protocols/raft"
	"github.com/orrery-sim/orrery/traces"
)

// raftDepthMax is the depth of the shortest Figure 8 counterexample under
// Raft's explored bounds (three servers, terms up to 3, three client writes,
// logs up to 2 entries; see protocols/raft/explore.go), so the correct
// protocol is explored exactly as deep.
const raftDepthMax = 18

// raftModel is Raft's own agents as a model: three servers over FIFO links.
func raftModel(t *testing.T, bug string) *actors.Model {
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
	return m
}

func exploreRaft(t *testing.T, bug string, depthMax int) (*actors.Model, explore.Result) {
	t.Helper()
	m := raftModel(t, bug)
	r, err := explore.Check(context.Background(), m, explore.Options{Workers: 2, DepthMax: depthMax})
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

// figure8Choices re-execute the shortest Figure 8 counterexample that BFS
// finds (TestLongRaftFigure8, make test-long, checks that it is the one).
var figure8Choices = []int{0, 0, 0, 1, 3, 2, 1, 5, 0, 3, 1, 1, 1, 1, 1, 1, 4, 6}

// TestRaftFigure8Counterexample: Raft's own agents, driven along the shortest
// Figure 8 path, break leader completeness at its last step and not before;
// the correct protocol, driven the same way, does not. (Finding the path by
// exhaustive search takes minutes: TestLongRaftFigure8.)
func TestRaftFigure8Counterexample(t *testing.T) {
	m := raftModel(t, "figure8")
	run, err := m.Trace(figure8Choices)
	if err != nil {
		t.Fatal(err)
	}
	if run.Failure != "leader-completeness" {
		t.Fatalf("the counterexample fails %q, want leader-completeness", run.Failure)
	}
	want := []string{
		"n1 timer election",
		"n2 ← n1 MsgVote t1 last=0/0",
		"n1 ← n2 MsgVoteResp t1 granted", // n1 leads term 1
		"n2 timer election",
		"n3 ← n2 MsgVote t2 last=0/0",
		"n2 ← n3 MsgVoteResp t2 granted",  // n2 leads term 2
		`n1 ← client Request#0 put a="1"`, // the stale leader takes a write: 1/1
		"n1 ← n2 MsgVote t2 last=0/0",
		"n1 timer election",
		"n3 ← n1 MsgVote t3 last=1/1",
		"n1 ← n3 MsgVoteResp t3 granted", // n1 leads term 3
		"n3 ← n1 MsgApp t3 prev=1/1 commit=0",
		"n1 ← n3 MsgAppResp t3 reject index=1 hint=1/0",
		`n3 ← n1 MsgApp t3 prev=0/0 commit=0 [1/1 ext#1 put a="1"]`,
		"n1 ← n3 MsgAppResp t3 ok index=1",
		`n1 ← client Request#1 put a="2"`, // 2/3 on n1; counting replicas commits 1/1 (the bug)
		`n2 ← client Request#2 put a="3"`, // 1/2 on n2, whose log now beats the majority's
	}
	if diff := cmp.Diff(want, narrate(run.Events)); diff != "" {
		t.Errorf("counterexample (-want +got):\n%s", diff)
	}
	prefix, err := m.Trace(figure8Choices[:len(figure8Choices)-1])
	switch {
	case err != nil:
		t.Errorf("the path without its last step: %v", err)
	case prefix.Failure != "":
		t.Errorf("the path without its last step fails %s, want no failure", prefix.Failure)
	}
	// The same choices are a valid path of the correct protocol (whose
	// leaders append a no-op first), and it keeps every invariant.
	correct, err := raftModel(t, "").Trace(figure8Choices)
	switch {
	case err != nil:
		t.Errorf("correct raft along the same choices: %v", err)
	case correct.Failure != "":
		t.Errorf("correct raft along the same choices fails %s: %s", correct.Failure, correct.Reason)
	}
}

// narrate lists the steps of a run: timers and deliveries.
func narrate(events []traces.Event) []string {
	var steps []string
	for _, e := range events {
		switch {
		case e.Kind == traces.KindTimer:
			steps = append(steps, fmt.Sprintf("%s timer %s", e.Node, e.Type))
		case e.Kind == traces.KindRecv && e.Peer == "":
			steps = append(steps, fmt.Sprintf("%s ← client %s", e.Node, e.Text))
		case e.Kind == traces.KindRecv:
			steps = append(steps, fmt.Sprintf("%s ← %s %s", e.Node, e.Peer, e.Text))
		}
	}
	return steps
}

// raftDepthBounded is a depth the correct protocol is explored to in make
// test: seconds, not minutes, and still a pin on the size of the search space.
const raftDepthBounded = 12

// TestRaftExploredBounded pins the state counts of the correct protocol's
// bounded exploration, so that a change in the search space shows up in
// review. TestLongRaftFigure8 explores it to the full depth.
func TestRaftExploredBounded(t *testing.T) {
	_, r := exploreRaft(t, "", raftDepthBounded)
	want := raftCounts{States: 50206, Generated: 84844, Depth: raftDepthBounded, Status: explore.StatusLimit}
	if diff := cmp.Diff(want, countsOf(r)); diff != "" {
		t.Errorf("correct raft to depth %d (-want +got):\n%s", raftDepthBounded, diff)
	}
}
