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

func raftModel(t *testing.T, bug string, network actors.Network, crashes int) *actors.Model {
	t.Helper()
	p, err := protocols.Lookup("raft")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := actors.FromProtocol(p, protocols.Options{Nodes: 3, Bug: bug}, network, crashes)
	if err != nil {
		t.Fatal(err)
	}
	m, err := actors.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func exploreRaft(t *testing.T, bug string, network actors.Network, crashes int, reduce bool) (*actors.Model, explore.Result) {
	t.Helper()
	m := raftModel(t, bug, network, crashes)
	r, err := explore.Check(context.Background(), m, explore.Options{Workers: 2, DepthMax: m.DepthMax(), Reduce: reduce})
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

func actionsOf(r explore.Result) []string {
	var actions []string
	for _, s := range r.Counterexample.Steps[1:] {
		actions = append(actions, s.Action)
	}
	return actions
}

// Raft's own agents with every message delivered to their code, stale ones
// too: a follower that truncates its log on a stale AppendEntries (one that
// arrives after a newer one) loses a committed entry, found by BFS with a
// shortest counterexample that re-executes into a failing trace.
func TestRaftStaleAppend(t *testing.T) {
	for _, reduce := range []bool{false, true} {
		m, r := exploreRaft(t, "truncate-on-stale", actors.Unordered, 0, reduce)
		want := raftCounts{States: 11523, Generated: 15499, Depth: 10, Status: explore.StatusViolated, Property: "leader-completeness"}
		if reduce {
			want.Generated = 13251
		}
		if diff := cmp.Diff(want, countsOf(r)); diff != "" {
			t.Fatalf("reduce=%v (-want +got):\n%s", reduce, diff)
		}
		wantActions := []string{
			"n1 timer election",
			"n2 ← n1 MsgVote t1 last=0/0",
			"n1 ← n2 MsgVoteResp t1 granted", // n1 leads term 1
			"n3 ← n1 MsgVote t1 last=0/0",
			"n1 ← n3 MsgVoteResp t1 granted", // a grant arriving late is delivered too
			`n1 ← client put a="1"`,
			`n2 ← n1 MsgApp t1 prev=0/0 commit=0 [1/1 noop, 2/1 ext#1 put a="1"]`,
			"n2 ← n1 MsgApp t1 prev=0/0 commit=0 [1/1 noop]", // the older append, delivered late: n2 truncates 2/1
			"n1 ← n2 MsgAppResp t1 ok index=2",               // n1 commits 2/1, which n2 no longer holds
		}
		if diff := cmp.Diff(wantActions, actionsOf(r)); diff != "" {
			t.Errorf("reduce=%v: counterexample (-want +got):\n%s", reduce, diff)
		}
		run, err := m.Trace(r.Counterexample.Choices)
		if err != nil || run.Failure != "leader-completeness" {
			t.Errorf("re-executed counterexample fails %q (%v), want leader-completeness", run.Failure, err)
		}
	}
}

// Figure 8 of the Raft paper needs more messages in flight than the default
// bounds allow (stale vote requests and heartbeats stay in flight until they
// are delivered), so the test tells the paper's story action by action and
// re-executes it: the bug breaks leader completeness.
func TestRaftFigure8Story(t *testing.T) {
	m := raftModel(t, "figure8", actors.Unordered, 0)
	story := []string{
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
	choices := []int{0}
	s := m.InitStates()[0]
	for k, want := range story {
		actions := m.Actions(s, nil)
		i := -1
		for j, a := range actions {
			if m.DescribeAction(a) == want {
				i = j
				break
			}
		}
		if i < 0 {
			t.Fatalf("step %d: %q is not enabled", k+1, want)
		}
		choices = append(choices, i)
		s, _ = m.NextState(s, actions[i])
	}
	run, err := m.Trace(choices)
	if err != nil || run.Failure != "leader-completeness" {
		t.Errorf("the Figure 8 story fails %q (%v), want leader-completeness", run.Failure, err)
	}
}
