package raft

import (
	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/sim"
	"github.com/orrery-sim/orrery/workload/kv"
)

// newClient is a workload agent (see kv.Client) with the standard mix: one
// operation at a time, each with the next sequence number, retried at the
// leader it learns of until answered or given up (then it stays open in the
// history). It waits retry for an answer before trying another server, and
// leaves out the operations skip names (protocols.Options.Skip).
func newClient(servers []sim.NodeID, opsMax int, skip protocols.OpSet, retry sim.Time) *kv.Client[Op] {
	timing := kv.DefaultTiming
	timing.RequestWait = retry
	return kv.NewClient(kv.ClientConfig[Op]{Servers: servers, Timing: timing, OpsMax: opsMax, Skip: skip.Skipped,
		Protocol: clientProtocol, Workload: kv.Mix()})
}

// clientProtocol wraps operations into MsgRequest and reads MsgResponse.
var clientProtocol = kv.Protocol[Op]{
	Request: func(seq uint64, op Op) sim.Message { return MsgRequest{Seq: seq, Op: op} },
	Reply: func(m sim.Message) (kv.Reply, bool) {
		r, ok := m.(MsgResponse)
		return kv.Reply{Seq: r.Seq, NotLeader: r.NotLeader, Leader: r.Leader, Result: r.Result}, ok
	},
}
