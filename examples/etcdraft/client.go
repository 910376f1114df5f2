package etcdraft

import (
	"fmt"

	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/sim"
	"github.com/orrery-sim/orrery/workload/kv"
)

// MsgRequest asks a server to execute a client's operation; Seq is the
// client's session sequence number.
type MsgRequest struct {
	Seq uint64
	Op  kv.Op
}

// MsgResponse answers a request, or says that the server does not lead and
// names the leader it knows (kv.NoHint if none).
type MsgResponse struct {
	Seq       uint64
	NotLeader bool
	Leader    sim.NodeID
	Result    kv.Result
}

// newClient is the leader-seeking client of workload/kv with its standard mix
// of operations, capped at opsMax and leaving out the operations skip names
// (so the shrinker can cut the workload).
func newClient(servers []sim.NodeID, opsMax int, skip protocols.OpSet) *kv.Client[kv.Op] {
	return kv.NewClient(kv.ClientConfig[kv.Op]{
		Servers: servers, Timing: kv.DefaultTiming, OpsMax: opsMax, Skip: skip.Skipped, Workload: kv.Mix(),
		Protocol: kv.Protocol[kv.Op]{
			Request: func(seq uint64, op kv.Op) sim.Message { return MsgRequest{Seq: seq, Op: op} },
			Reply: func(m sim.Message) (kv.Reply, bool) {
				r, ok := m.(MsgResponse)
				return kv.Reply{Seq: r.Seq, NotLeader: r.NotLeader, Leader: r.Leader, Result: r.Result}, ok
			},
		},
	})
}

// Describe renders a request: "MsgRequest #3 put a=\"1.3\"".
func (m MsgRequest) Describe() string {
	return fmt.Sprintf("MsgRequest #%d %s", m.Seq, m.Op.Describe())
}

// Describe renders a response: "MsgResponse #3 ok", "MsgResponse #3 not
// leader, try n2".
func (m MsgResponse) Describe() string {
	switch {
	case m.NotLeader && m.Leader == kv.NoHint:
		return fmt.Sprintf("MsgResponse #%d not leader", m.Seq)
	case m.NotLeader:
		return fmt.Sprintf("MsgResponse #%d not leader, try n%d", m.Seq, m.Leader+1) // servers n1.. are agents 0..
	}
	return fmt.Sprintf("MsgResponse #%d %s", m.Seq, m.Result.Describe())
}
