package actors_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/orrery-sim/orrery/explore"
	"github.com/orrery-sim/orrery/explore/actors"
	"github.com/orrery-sim/orrery/protocols"
	_ "github.com/orrery-sim/orrery/protocols/twopc"
)

// Two-phase commit's own agents, two participants, one transaction and one
// crash: the correct protocol is explored completely, and each crash bug
// breaks the invariant it should.
func TestTwoPCExplored(t *testing.T) {
	p, err := protocols.Lookup("twopc")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		bug  string
		want raftCounts
	}{
		{"", raftCounts{States: 58085, Generated: 192607, Depth: 29, Status: explore.StatusComplete}},
		{"decision-changes-after-recovery", raftCounts{States: 1545, Generated: 3572, Depth: 9, Status: explore.StatusViolated, Property: "atomicity"}},
		{"forget-yes-vote", raftCounts{States: 788, Generated: 1742, Depth: 8, Status: explore.StatusViolated, Property: "validity"}},
	}
	for _, tt := range tests {
		cfg, err := actors.FromProtocol(p, protocols.Options{Nodes: 2, Bug: tt.bug}, actors.Unordered, 1)
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
			t.Errorf("bug %q (-want +got):\n%s", tt.bug, diff)
		}
	}
}
