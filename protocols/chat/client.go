package chat

import (
	"fmt"

	"github.com/orrery-sim/orrery/sim"
)

// Workload timing.
const (
	submitIntervalMin = 50 * sim.Millisecond
	submitIntervalMax = 400 * sim.Millisecond
	ackTimeout        = 2 * sim.Second
)

// Client submits numbered messages to random servers during the safety phase.
// Each message is an operation in the history; one that is not acknowledged in
// time stays open (it may or may not have been delivered).
type Client struct {
	index   int
	servers []sim.NodeID
	seq     int
	pending []pendingOp
	opsMax  int // messages to submit (0: no cap), protocols.Options.Ops
}

type pendingOp struct {
	seq      int
	op       sim.OpID
	deadline sim.Time
}

// Start arms the first submission.
func (c *Client) Start(ctx *sim.Context) {
	ctx.SetTimer("submit", ctx.RandTime(submitIntervalMin, submitIntervalMax))
}

// Receive completes an acknowledged operation.
func (c *Client) Receive(ctx *sim.Context, from sim.NodeID, msg sim.Message) {
	ack, ok := msg.(MsgAck)
	if !ok {
		panic(fmt.Sprintf("chat client: unexpected %T", msg))
	}
	for i, p := range c.pending {
		if p.seq == ack.ClientSeq {
			c.pending = append(c.pending[:i], c.pending[i+1:]...)
			ctx.Return(p.op, ack.Entry)
			return
		}
	}
}

// Timer gives up on overdue operations (they stay open in the history) and, in the
// safety phase, submits the next message to a random server.
func (c *Client) Timer(ctx *sim.Context, name string) {
	now := ctx.Now()
	kept := c.pending[:0]
	for _, p := range c.pending {
		if p.deadline > now {
			kept = append(kept, p)
		}
	}
	c.pending = kept
	if ctx.Phase() == sim.PhaseLiveness {
		return // the liveness phase judges delivery of what was already sent
	}
	if c.opsMax > 0 && c.seq >= c.opsMax {
		return // a capped workload (a shrunk run) is done
	}
	c.seq++
	text := fmt.Sprintf("c%d-%d", c.index+1, c.seq)
	server := c.servers[ctx.Rand(uint64(len(c.servers)))]
	c.pending = append(c.pending, pendingOp{seq: c.seq, op: ctx.Invoke(text), deadline: now + ackTimeout})
	ctx.Send(server, MsgSubmit{Client: c.index, ClientSeq: c.seq, Text: text})
	ctx.SetTimer("submit", ctx.RandTime(submitIntervalMin, submitIntervalMax))
}
