package etcdraft

import (
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
// of operations.
func newClient(servers []sim.NodeID, opsMax int) *kv.Client[kv.Op] {
	return kv.NewClient(kv.ClientConfig[kv.Op]{
		Servers: servers, Timing: kv.DefaultTiming, OpsMax: opsMax, Workload: kv.Mix(),
		Protocol: kv.Protocol[kv.Op]{
			Request: func(seq uint64, op kv.Op) sim.Message { return MsgRequest{Seq: seq, Op: op} },
			Reply: func(m sim.Message) (kv.Reply, bool) {
				r, ok := m.(MsgResponse)
				return kv.Reply{Seq: r.Seq, NotLeader: r.NotLeader, Leader: r.Leader, Result: r.Result}, ok
			},
		},
	})
}
