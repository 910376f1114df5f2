package paxos_test

import (
	"strings"
	"testing"

	"github.com/orrery-sim/orrery/harness"
	"github.com/orrery-sim/orrery/protocols/paxos"
	"github.com/orrery-sim/orrery/simtest"
)

func run(t *testing.T, cfg harness.Config) *harness.Outcome {
	t.Helper()
	cfg.Protocol = "paxos"
	out, err := harness.Run(cfg, harness.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestCleanRunsPass(t *testing.T) {
	for _, cfg := range []harness.Config{
		{Seed: 1, Faults: "none"},
		{Seed: 2, Faults: "swarm"},
		{Seed: 3, Faults: "swarm", Nodes: 3},
		{Seed: 4, Faults: "swarm", Params: map[string]string{"q1": "4", "q2": "2"}},
		{Seed: 5, Faults: "swarm", Params: map[string]string{"q1": "2", "q2": "4"}},
		{Seed: 6, Faults: "swarm", Nodes: 1},
	} {
		out := run(t, cfg)
		if r := out.Result; r.Failed() {
			t.Fatalf("%+v: %s %s: %s\n%s", cfg, r.Verdict, r.Property, r.Reason, r.Stack)
		}
		if ops := len(out.World.History().Ops); ops < 100 {
			t.Errorf("%+v: only %d operations", cfg, ops)
		}
	}
}

// TestQuorums: Q1 + Q2 must exceed N, except under the bug that allows it.
func TestQuorums(t *testing.T) {
	tests := []struct {
		n             int
		params        map[string]string
		bug           string
		q1, q2        int
		errMentioning string
	}{
		{n: 5, q1: 3, q2: 3},
		{n: 4, q1: 2, q2: 3},
		{n: 5, params: map[string]string{"q2": "2"}, q1: 4, q2: 2},
		{n: 5, params: map[string]string{"q1": "2", "q2": "3"}, errMentioning: "do not intersect"},
		{n: 5, params: map[string]string{"q1": "6"}, errMentioning: "between 1 and"},
		{n: 5, params: map[string]string{"q3": "1"}, errMentioning: "unknown parameter"},
		{n: 5, params: map[string]string{"q1": "x"}, errMentioning: "not a number"},
		{n: 5, bug: paxos.BugNonintersectingQuorums, q1: 2, q2: 3},
		{n: 5, params: map[string]string{"q1": "1", "q2": "2"}, bug: paxos.BugNonintersectingQuorums, q1: 1, q2: 2},
	}
	for _, tt := range tests {
		q1, q2, err := paxos.Quorums(tt.n, tt.params, tt.bug)
		switch {
		case tt.errMentioning != "":
			if err == nil || !strings.Contains(err.Error(), tt.errMentioning) {
				t.Errorf("n=%d %v: got error %v, want one mentioning %q", tt.n, tt.params, err, tt.errMentioning)
			}
		case err != nil || q1 != tt.q1 || q2 != tt.q2:
			t.Errorf("n=%d %v %s: got q1=%d q2=%d %v, want %d %d", tt.n, tt.params, tt.bug, q1, q2, err, tt.q1, tt.q2)
		}
	}
	_, err := harness.Run(harness.Config{Protocol: "paxos", Seed: 1, Params: map[string]string{"q1": "2", "q2": "2"}}, harness.RunOptions{})
	if err == nil || !strings.Contains(err.Error(), "do not intersect") {
		t.Errorf("harness accepted non-intersecting quorums: %v", err)
	}
}

func TestDeterministicTrace(t *testing.T) {
	simtest.AssertDeterministic(t, harness.Config{Protocol: "paxos", Seed: 7, Faults: "swarm"})
}

// TestPlantedBugsAreCaught: each planted bug is caught under the swarm
// nemesis by the checker named, within the seed budget (BUGS.md records the
// first failing seed).
func TestPlantedBugsAreCaught(t *testing.T) {
	tests := []struct {
		bug, property string
		seedsMax      uint64
	}{
		{paxos.BugNonintersectingQuorums, paxos.PropOneValue, 200},
		{paxos.BugIgnorePromisedValues, paxos.PropOneValue, 200},
		{paxos.BugPromiseReportsPromised, paxos.PropOneValue, 1000},
		{paxos.BugPromiseNotSynced, paxos.PropAcceptorDurable, 100},
		{paxos.BugNoSessionDedupe, paxos.PropExactlyOnce, 1000},
	}
	for _, tt := range tests {
		t.Run(tt.bug, func(t *testing.T) {
			simtest.AssertCaught(t, harness.Config{Protocol: "paxos", Bug: tt.bug, Faults: "swarm"}, tt.property, tt.seedsMax)
		})
	}
}
