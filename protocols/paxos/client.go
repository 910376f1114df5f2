package paxos

import (
	"github.com/orrery-sim/orrery/protocols/internal/seek"
	"github.com/orrery-sim/orrery/sim"
)

// Workload limits and timing.
const (
	clientThinkMax = 40 * sim.Millisecond // pause between one answer and the next operation
)

// keys is the small key set that makes clients contend.
var keys = [...]string{"a", "b", "c"}

// clientTiming is how patiently clients seek the leader.
var clientTiming = seek.Timing{
	RequestWait:  200 * sim.Millisecond,
	RedirectWait: 30 * sim.Millisecond,
	GiveUpAfter:  3 * sim.Second,
	RedirectsMax: 8,
}

// workload is a client agent: one operation at a time, each with the next
// sequence number, retried at the leader it learns of until answered or given
// up (then it stays open in the history).
type workload struct {
	name   string // the agent's name: update values are name.seq
	seek   seek.Seeker
	opsMax int // operations to issue (0: no cap)
	seq    uint64
	busy   bool
	id     sim.OpID
	op     Op
}

// Start implements sim.Agent.
func (c *workload) Start(ctx *sim.Context) {
	c.seek.Start(ctx)
	ctx.SetTimer("issue", ctx.RandTime(0, clientThinkMax))
}

// Receive implements sim.Agent.
func (c *workload) Receive(ctx *sim.Context, from sim.NodeID, m sim.Message) {
	r, ok := m.(MsgResponse)
	if !ok || !c.busy || r.Seq != c.seq {
		return // a late or duplicated answer to an earlier operation
	}
	if r.NotLeader {
		c.seek.Redirect(ctx, r.Leader, c.request())
		return
	}
	c.busy = false
	ctx.Return(c.id, r.Result)
	c.seek.Done(ctx)
	ctx.SetTimer("issue", ctx.RandTime(0, clientThinkMax))
}

// Timer implements sim.Agent.
func (c *workload) Timer(ctx *sim.Context, name string) {
	switch name {
	case "issue":
		c.issue(ctx)
	case seek.RetryTimer:
		if !c.seek.Retry(ctx, c.request()) {
			c.busy = false // the operation stays open: it may or may not take effect
			c.issue(ctx)
		}
	}
}

func (c *workload) issue(ctx *sim.Context) {
	if c.opsMax > 0 && c.seq >= uint64(c.opsMax) {
		c.busy = false
		return
	}
	c.seq++
	c.op = c.pick(ctx)
	c.id = ctx.Invoke(c.op)
	c.busy = true
	c.seek.Begin(ctx, c.request())
}

// request is the message for the operation in flight.
func (c *workload) request() MsgRequest { return MsgRequest{Seq: c.seq, Op: c.op} }

// pick draws an operation: mostly reads and updates, some deletes, counts
// and prints.
func (c *workload) pick(ctx *sim.Context) Op {
	key := keys[ctx.Rand(uint64(len(keys)))]
	switch d := ctx.Rand(100); {
	case d < 30:
		return Op{Kind: OpGet, Key: key}
	case d < 65:
		return Op{Kind: OpUpdate, Key: key, Value: c.name + "." + u(c.seq)}
	case d < 77:
		return Op{Kind: OpDelete, Key: key}
	case d < 88:
		return Op{Kind: OpExists, Key: key}
	case d < 95:
		return Op{Kind: OpCount}
	}
	return Op{Kind: OpPrint}
}
