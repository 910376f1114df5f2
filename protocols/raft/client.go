package raft

import (
	"strconv"

	"github.com/orrery-sim/orrery/protocols/internal/seek"
	"github.com/orrery-sim/orrery/sim"
)

// Workload limits and timing.
const (
	clientThinkMax      = 40 * sim.Millisecond  // pause between one answer and the next operation
	clientAppendsPerKey = 64                    // appends before the workload deletes instead
	clientCappedPoll    = 250 * sim.Millisecond // how often a client that used its ops looks for the liveness phase
)

// clientTiming is how patiently clients seek the leader.
var clientTiming = seek.Timing{
	RequestWait:  150 * sim.Millisecond,
	RedirectWait: 20 * sim.Millisecond,
	GiveUpAfter:  3 * sim.Second,
	RedirectsMax: 8,
}

// keys is the small key set that makes clients contend.
var keys = [...]string{"a", "b", "c"}

// client is a workload agent: one operation at a time, each with the next
// sequence number, retried at the leader it learns of until answered or given
// up (then it stays open in the history).
type client struct {
	seek      seek.Seeker
	opsMax    int  // operations in the safety phase (0: no cap), see protocols.Options.Ops
	probeDone bool // a capped client's liveness-phase write completed
	seq       uint64
	busy      bool
	id        sim.OpID
	op        Op
	seen      [len(keys)]string // last value this client saw per key, for cas
	appends   [len(keys)]int
}

func newClient(servers []sim.NodeID, opsMax int) *client {
	return &client{seek: seek.Seeker{Servers: servers, Timing: clientTiming}, opsMax: opsMax}
}

// Start implements sim.Agent.
func (c *client) Start(ctx *sim.Context) {
	c.seek.Start(ctx)
	ctx.SetTimer("issue", ctx.RandTime(0, clientThinkMax))
}

// Receive implements sim.Agent.
func (c *client) Receive(ctx *sim.Context, from sim.NodeID, m sim.Message) {
	r, ok := m.(MsgResponse)
	if !ok || !c.busy || r.Seq != c.seq {
		return // a late or duplicated answer to an earlier operation
	}
	if r.NotLeader {
		c.seek.Redirect(ctx, r.Leader, c.request())
		return
	}
	c.busy = false
	c.probeDone = c.opsMax > 0 && int(c.seq) > c.opsMax
	ctx.Return(c.id, r.Result)
	c.observe(r.Result)
	c.seek.Done(ctx)
	ctx.SetTimer("issue", ctx.RandTime(0, clientThinkMax))
}

// Timer implements sim.Agent.
func (c *client) Timer(ctx *sim.Context, name string) {
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

func (c *client) issue(ctx *sim.Context) {
	if c.opsMax > 0 && int(c.seq) >= c.opsMax {
		// Capped (a shrinker's "fewer operations"): idle through the safety phase,
		// then write until one write completes, so that the liveness property can
		// still be judged.
		if c.probeDone {
			return
		}
		if ctx.Phase() == sim.PhaseSafety {
			ctx.SetTimer("issue", clientCappedPoll)
			return
		}
		c.seq++
		c.op = Op{Kind: OpPut, Key: keys[0], Value: strconv.Itoa(int(ctx.Self())) + "." + u(c.seq)}
		c.start(ctx)
		return
	}
	c.seq++
	c.op = c.pick(ctx)
	c.start(ctx)
}

func (c *client) start(ctx *sim.Context) {
	c.id = ctx.Invoke(c.op)
	c.busy = true
	c.seek.Begin(ctx, c.request())
}

// request is the message for the operation in flight.
func (c *client) request() MsgRequest { return MsgRequest{Seq: c.seq, Op: c.op} }

// pick draws an operation: mostly reads and puts, some of each other kind.
func (c *client) pick(ctx *sim.Context) Op {
	k := int(ctx.Rand(uint64(len(keys))))
	key := keys[k]
	value := strconv.Itoa(int(ctx.Self())) + "." + u(c.seq)
	switch d := ctx.Rand(100); {
	case d < 25:
		return Op{Kind: OpGet, Key: key}
	case d < 45:
		return Op{Kind: OpPut, Key: key, Value: value}
	case d < 60 && c.appends[k] < clientAppendsPerKey:
		c.appends[k]++
		return Op{Kind: OpAppend, Key: key, Value: strconv.Itoa(int(c.seq % 10))}
	case d < 60:
		c.appends[k] = 0
		return Op{Kind: OpDelete, Key: key}
	case d < 72:
		return Op{Kind: OpCAS, Key: key, Expect: c.seen[k], Value: value}
	case d < 82:
		return Op{Kind: OpDelete, Key: key}
	case d < 91:
		return Op{Kind: OpExists, Key: key}
	}
	return Op{Kind: OpCount}
}

// observe remembers what the key held, so a later cas has a fair chance.
func (c *client) observe(r Result) {
	k := -1
	for i, key := range keys {
		if key == c.op.Key {
			k = i
		}
	}
	switch {
	case k < 0:
	case c.op.Kind == OpGet && r.Found:
		c.seen[k] = r.Value
	case c.op.Kind == OpPut || (c.op.Kind == OpCAS && r.OK):
		c.seen[k] = c.op.Value
	}
}
