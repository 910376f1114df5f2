package paxos

import (
	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/sim"
	"github.com/orrery-sim/orrery/workload/kv"
)

// keys is the small key set that makes clients contend.
var keys = [...]string{"a", "b", "c"}

// clientTiming is how patiently clients seek the leader; -param
// client-retry-ms sets RequestWait.
var clientTiming = kv.Timing{
	RequestWait:  200 * sim.Millisecond,
	RedirectWait: 30 * sim.Millisecond,
	GiveUpAfter:  3 * sim.Second,
	RedirectsMax: 8,
	ThinkMax:     40 * sim.Millisecond,
}

// newClient is a workload agent (see kv.Client) asking the Ios operations:
// one operation at a time, each with the next sequence number, retried at
// the leader it learns of until answered or given up (then it stays open in
// the history). Update values are "<agent name>.<seq>"; a client whose
// operations are used up stops. It waits retry for an answer before trying
// another server, and leaves out the operations skip names
// (protocols.Options.Skip).
func newClient(name string, servers []sim.NodeID, opsMax int, skip protocols.OpSet, retry sim.Time) *kv.Client[Op] {
	timing := clientTiming
	timing.RequestWait = retry
	return kv.NewClient(kv.ClientConfig[Op]{Servers: servers, Timing: timing, OpsMax: opsMax, Skip: skip.Skipped,
		Protocol: clientProtocol, Workload: kv.Workload[Op]{Next: func(ctx *sim.Context, seq uint64) Op { return pick(ctx, name, seq) }}})
}

// clientProtocol wraps operations into MsgRequest and reads MsgResponse.
var clientProtocol = kv.Protocol[Op]{
	Request: func(seq uint64, op Op) sim.Message { return MsgRequest{Seq: seq, Op: op} },
	Reply: func(m sim.Message) (kv.Reply, bool) {
		r, ok := m.(MsgResponse)
		return kv.Reply{Seq: r.Seq, NotLeader: r.NotLeader, Leader: r.Leader, Result: r.Result}, ok
	},
}

// pick draws an operation: mostly reads, updates and appends, some deletes,
// counts and prints. Values are unique to the operation; an append adds the
// token "+<agent name>.<seq>", so a command applied twice shows in a later
// get (workload/kv's exactly-once).
func pick(ctx *sim.Context, name string, seq uint64) Op {
	key := keys[ctx.Rand(uint64(len(keys)))]
	switch d := ctx.Rand(100); {
	case d < 30:
		return Op{Kind: OpGet, Key: key}
	case d < 50:
		return Op{Kind: OpUpdate, Key: key, Value: name + "." + u(seq)}
	case d < 65:
		return Op{Kind: OpAppend, Key: key, Value: kv.TokenStart + name + "." + u(seq)}
	case d < 77:
		return Op{Kind: OpDelete, Key: key}
	case d < 88:
		return Op{Kind: OpExists, Key: key}
	case d < 95:
		return Op{Kind: OpCount}
	}
	return Op{Kind: OpPrint}
}
