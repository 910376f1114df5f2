package raft_test

import (
	"strings"
	"testing"

	"github.com/orrery-sim/orrery/harness"
	"github.com/orrery-sim/orrery/protocols/raft"
)

// TestReconfigurationSweeps: with spares and reconfigure faults drawn, short
// swarm sweeps pass by default, with pre-vote on, and with neither pre-vote
// nor check-quorum (the leader lease of thesis §4.2.3, which keeps removed
// servers from disrupting, holds either way). 600 seeds of each passed when
// this was written.
func TestReconfigurationSweeps(t *testing.T) {
	const seedsMax = 60
	for _, params := range []map[string]string{
		{raft.ParamSpares: "2"},
		{raft.ParamSpares: "2", raft.ParamPreVote: "true"},
		{raft.ParamSpares: "2", raft.ParamCheckQuorum: "false"},
	} {
		s, err := harness.FirstFailure(harness.Config{Protocol: "raft", Faults: "swarm", Params: params}, 1, seedsMax, 0)
		if err != nil {
			t.Fatal(err)
		}
		if out := s.Failure; out != nil {
			reason, _, _ := strings.Cut(out.Result.Reason, "\n")
			t.Errorf("%v: seed %d fails %s: %s", params, out.Config.Seed, out.Result.Property, reason)
		}
	}
}
