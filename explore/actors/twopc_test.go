package actors_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/orrery-sim/orrery/explore"
	"github.com/orrery-sim/orrery/explore/actors"
	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/protocols/twopc"
)

// Two-phase commit's own agents, two participants, one transaction and one
// crash, with the clock abstracted away (TimeMax cleared: the crash bugs need
// no timeout, and the timed search of this configuration is far larger): the
// correct protocol is explored completely, and each crash bug breaks the
// invariant it should.
func TestTwoPCExplored(t *testing.T) {
	p, err := protocols.Lookup("twopc")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		bug  string
		want raftCounts
	}{
		{"", raftCounts{States: 58080, Generated: 192593, Depth: 29, Status: explore.StatusComplete}},
		{"decision-changes-after-recovery", raftCounts{States: 1540, Generated: 3558, Depth: 9, Status: explore.StatusViolated, Property: "atomicity"}},
		{"forget-yes-vote", raftCounts{States: 783, Generated: 1728, Depth: 8, Status: explore.StatusViolated, Property: "validity"}},
	}
	for _, tt := range tests {
		cfg, err := actors.FromProtocol(p, protocols.Options{Nodes: 2, Bug: tt.bug}, actors.Unordered, 1)
		if err != nil {
			t.Fatal(err)
		}
		cfg.TimeMax = 0
		m, err := actors.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		r, err := explore.Check(context.Background(), m, explore.Options{Workers: 2, DepthMax: m.DepthMax()})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tt.want, countsOf(r)); diff != "" {
			t.Errorf("bug %q (-want +got):\n%s", tt.bug, diff)
		}
	}
}

// With the agents' clocks (twopc's TimeMax), the coordinator's vote timeout
// expires under exploration: BFS finds commit-without-all-votes (a missing
// vote counted as yes on the timeout), and its shortest counterexample
// re-executes as a trace that fails the same way, after the tick that reads
// the clock at the deadline. The correct protocol, timeouts and the
// participants' termination protocol included, holds on the same bounds
// (the unordered network's complete search is TestLongTwoPCTimedUnordered).
func TestTwoPCTimeoutExplored(t *testing.T) {
	p, err := protocols.Lookup("twopc")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		bug     string
		network actors.Network
		crashes int
		want    raftCounts
	}{
		{"", actors.Duplicating, 0, raftCounts{States: 3751, Generated: 16165, Depth: 13, Status: explore.StatusComplete}},
		{"", actors.Duplicating, 1, raftCounts{States: 14252, Generated: 62125, Depth: 15, Status: explore.StatusComplete}},
		{twopc.BugCommitWithoutVotes, actors.Duplicating, 0, raftCounts{States: 945, Generated: 2559, Depth: 8, Status: explore.StatusViolated, Property: "validity"}},
		{twopc.BugCommitWithoutVotes, actors.Unordered, 0, raftCounts{States: 7514, Generated: 13504, Depth: 10, Status: explore.StatusViolated, Property: "validity"}},
	}
	for _, tt := range tests {
		cfg, err := actors.FromProtocol(p, protocols.Options{Nodes: 2, Bug: tt.bug}, tt.network, tt.crashes)
		if err != nil {
			t.Fatal(err)
		}
		m, err := actors.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		r, err := explore.Check(context.Background(), m, explore.Options{Workers: 2, DepthMax: m.DepthMax()})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tt.want, countsOf(r)); diff != "" {
			t.Errorf("bug %q network %s crashes %d (-want +got):\n%s", tt.bug, tt.network, tt.crashes, diff)
		}
		if r.Counterexample == nil {
			continue
		}
		actions := actionsOf(r)
		if last := actions[len(actions)-1]; last != "coord timer tick" {
			t.Errorf("counterexample ends with %q, want the coordinator's tick at the deadline: %q", last, actions)
		}
		run, err := m.Trace(r.Counterexample.Choices)
		if err != nil || run.Failure != twopc.PropValidity {
			t.Errorf("re-executed counterexample fails %q (%v), want %s", run.Failure, err, twopc.PropValidity)
		}
	}
}
