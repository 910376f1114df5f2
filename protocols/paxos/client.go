package paxos

import (
	"github.com/orrery-sim/orrery/sim"
)

// Workload limits and timing.
const (
	clientThinkMax     = 40 * sim.Millisecond  // pause between one answer and the next operation
	clientRequestWait  = 200 * sim.Millisecond // before retrying at another server
	clientRedirectWait = 30 * sim.Millisecond  // after "not leader" without a hint
	clientGiveUpAfter  = 3 * sim.Second        // an operation unanswered this long stays open
	clientRedirectsMax = 8                     // redirects followed per operation
)

// keys is the small key set that makes clients contend.
var keys = [...]string{"a", "b", "c"}

// workload is a client agent: one operation at a time, each with the next
// sequence number, retried at the leader it learns of until answered or given
// up (then it stays open in the history).
type workload struct {
	name      string // the agent's name: update values are name.seq
	servers   []sim.NodeID
	opsMax    int // operations to issue (0: no cap)
	guess     int // index into servers of the presumed leader
	seq       uint64
	busy      bool
	id        sim.OpID
	op        Op
	giveUpAt  sim.Time
	redirects int
}

// Start implements sim.Agent.
func (c *workload) Start(ctx *sim.Context) {
	c.guess = int(ctx.Rand(uint64(len(c.servers))))
	ctx.SetTimer("issue", ctx.RandTime(0, clientThinkMax))
}

// Receive implements sim.Agent.
func (c *workload) Receive(ctx *sim.Context, from sim.NodeID, m sim.Message) {
	r, ok := m.(MsgResponse)
	if !ok || !c.busy || r.Seq != c.seq {
		return // a late or duplicated answer to an earlier operation
	}
	if r.NotLeader {
		c.redirect(ctx, r.Leader)
		return
	}
	c.busy = false
	ctx.Return(c.id, r.Result)
	ctx.CancelTimer("retry")
	ctx.SetTimer("issue", ctx.RandTime(0, clientThinkMax))
}

// Timer implements sim.Agent.
func (c *workload) Timer(ctx *sim.Context, name string) {
	switch name {
	case "issue":
		c.issue(ctx)
	case "retry":
		if ctx.Now() >= c.giveUpAt {
			c.busy = false // the operation stays open: it may or may not take effect
			c.issue(ctx)
			return
		}
		c.guess = int(ctx.Rand(uint64(len(c.servers))))
		c.send(ctx)
	}
}

func (c *workload) redirect(ctx *sim.Context, leader sim.NodeID) {
	c.redirects++
	if leader != none && c.servers[c.guess] != leader && c.redirects <= clientRedirectsMax {
		for i, s := range c.servers {
			if s == leader {
				c.guess = i
			}
		}
		c.send(ctx)
		return
	}
	c.guess = (c.guess + 1) % len(c.servers)
	ctx.SetTimer("retry", clientRedirectWait)
}

func (c *workload) issue(ctx *sim.Context) {
	if c.opsMax > 0 && c.seq >= uint64(c.opsMax) {
		c.busy = false
		return
	}
	c.seq++
	c.op = c.pick(ctx)
	c.id = ctx.Invoke(c.op)
	c.busy, c.redirects = true, 0
	c.giveUpAt = ctx.Now() + clientGiveUpAfter
	c.send(ctx)
}

func (c *workload) send(ctx *sim.Context) {
	ctx.Send(c.servers[c.guess], MsgRequest{Seq: c.seq, Op: c.op})
	ctx.SetTimer("retry", clientRequestWait)
}

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
