package paxos_test

import (
	"strings"
	"testing"

	"github.com/orrery-sim/orrery/harness"
	"github.com/orrery-sim/orrery/protocols/paxos"
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
		// q1 alone takes the smallest q2 that meets it: -param q1=2 works.
		{n: 5, params: map[string]string{"q1": "2"}, q1: 2, q2: 4},
		{n: 5, params: map[string]string{"q1": "2"}, bug: paxos.BugNonintersectingQuorums, q1: 2, q2: 3},
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
