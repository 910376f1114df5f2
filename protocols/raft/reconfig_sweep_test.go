package raft_test

import (
	"testing"

	"github.com/orrery-sim/orrery/harness"
	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/protocols/raft"
)

// raft-nocheckquorum: neither pre-vote nor check-quorum, for the
// reconfiguration sweeps (a removed server must not disrupt without them).
func init() {
	p, _ := protocols.Lookup("raft")
	q := *p
	q.Name = "raft-nocheckquorum"
	q.Setup = raft.Setup(raft.Config{})
	protocols.Register(&q)
}

// TestReconfigurationSweeps: with spares and reconfigure faults drawn, short
// swarm sweeps pass with pre-vote on, and with neither pre-vote nor
// check-quorum (the leader lease of thesis §4.2.3, which keeps removed
// servers from disrupting, holds either way). 600 seeds of each passed when
// this was written.
func TestReconfigurationSweeps(t *testing.T) {
	const seedsMax = 60
	for _, proto := range []string{"raft", "raft-prevote", "raft-nocheckquorum"} {
		cfg := harness.Config{Protocol: proto, Faults: "swarm", Params: map[string]string{raft.ParamSpares: "2"}}
		out, _ := firstFailure(t, cfg, 1, seedsMax)
		if out != nil {
			t.Errorf("%s with spares: seed %d fails %s: %s", proto, out.Config.Seed, out.Result.Property, firstLine(out.Result.Reason))
		}
	}
}
