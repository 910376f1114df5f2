package raft

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/orrery-sim/orrery/sim"
)

// TestMembershipStep: one single-server step at a time toward a goal; an
// addition goes through learner before voter, and goes before the removal
// of a replacement.
func TestMembershipStep(t *testing.T) {
	ids := func(v ...sim.NodeID) []sim.NodeID { return v }
	three := Membership{Voters: ids(0, 1, 2)}
	type result struct {
		Next    Membership
		OK      bool
		Refusal string
	}
	tests := []struct {
		name        string
		conf        Membership
		add, remove sim.NodeID
		want        result
	}{
		{"add: learner first", three, 3, none, result{Membership{Voters: ids(0, 1, 2), Learners: ids(3)}, true, ""}},
		{"add: then promoted", Membership{Voters: ids(0, 1, 2), Learners: ids(3)}, 3, none, result{Membership{Voters: ids(0, 1, 2, 3), Learners: []sim.NodeID{}}, true, ""}},
		{"add: already a voter", three, 1, none, result{three, false, ""}},
		{"remove a voter", three, none, 1, result{Membership{Voters: ids(0, 2), Learners: nil}, true, ""}},
		{"remove a learner", Membership{Voters: ids(0, 1, 2), Learners: ids(3)}, none, 3, result{Membership{Voters: ids(0, 1, 2), Learners: []sim.NodeID{}}, true, ""}},
		{"remove: not a member", three, none, 4, result{three, false, ""}},
		{"replace: the addition goes first", three, 4, 0, result{Membership{Voters: ids(0, 1, 2), Learners: ids(4)}, true, ""}},
		{"replace: the removal once the addition is done", Membership{Voters: ids(0, 1, 2, 4)}, 4, 0, result{Membership{Voters: ids(1, 2, 4), Learners: nil}, true, ""}},
		{"the last voter stays", Membership{Voters: ids(2)}, none, 2, result{Membership{Voters: ids(2)}, false, "the last voter cannot leave"}},
	}
	for _, tt := range tests {
		next, ok, refusal := tt.conf.step(tt.add, tt.remove)
		if diff := cmp.Diff(tt.want, result{next, ok, refusal}); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
	}
}
