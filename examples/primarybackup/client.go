package primarybackup

import (
	"fmt"

	"github.com/orrery-sim/orrery/sim"
)

// requestTimeout is how long a client waits for a reply before it gives up on
// the operation (it stays open in the history: it may still take effect).
const requestTimeout = 500 * sim.Millisecond

// Client runs the workload script, one operation at a time, during the safety
// phase. Puts go to the primary, gets to the replica the script names.
type Client struct {
	primary  sim.NodeID
	replicas map[string]sim.NodeID
	script   []Op
	next     int // index of the next operation in script
	req      int // the request in flight (0: none)
	op       sim.OpID
}

// Start issues the first operation shortly after the servers start.
func (c *Client) Start(ctx *sim.Context) { ctx.SetTimer("next", 10*sim.Millisecond) }

// Receive completes the operation in flight; late replies are ignored.
func (c *Client) Receive(ctx *sim.Context, from sim.NodeID, msg sim.Message) {
	r, ok := msg.(MsgReply)
	if !ok {
		panic(fmt.Sprintf("client: unexpected %T", msg))
	}
	if r.Req != c.req || c.req == 0 {
		return
	}
	c.req = 0
	ctx.Return(c.op, Result{Wrote: r.Wrote, Value: r.Value, Found: r.Found, By: ctx.Name(from)})
	c.issue(ctx)
}

// Timer issues the next operation, abandoning one that timed out.
func (c *Client) Timer(ctx *sim.Context, name string) {
	c.req = 0
	c.issue(ctx)
}

func (c *Client) issue(ctx *sim.Context) {
	if c.next == len(c.script) || ctx.Phase() == sim.PhaseLiveness {
		ctx.CancelTimer("next")
		return
	}
	op := c.script[c.next]
	c.next++
	c.req = c.next
	c.op = ctx.Invoke(op)
	to := c.primary
	if id, ok := c.replicas[op.Replica]; ok && op.Get {
		to = id
	}
	if op.Get {
		ctx.Send(to, MsgGet{Req: c.req, Key: op.Key})
	} else {
		ctx.Send(to, MsgPut{Req: c.req, Key: op.Key, Value: op.Value})
	}
	ctx.SetTimer("next", requestTimeout)
}

// Result is what an operation returned, as the history records it.
type Result struct {
	Wrote bool // a put's acknowledgement
	Value string
	Found bool
	By    string // the replica that answered
}

// Describe renders a result in traces.
func (r Result) Describe() string {
	if r.Wrote {
		return "ok from " + r.By
	}
	return found(r.Value, r.Found) + " from " + r.By
}
