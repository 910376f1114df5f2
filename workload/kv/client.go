package kv

import (
	"strconv"

	"github.com/orrery-sim/orrery/internal/assert"
	"github.com/orrery-sim/orrery/sim"
)

// issueTimer is the name of the timer that starts a client's next operation.
const issueTimer = "issue"

// Protocol is how a client talks to a protocol's servers.
type Protocol[O any] struct {
	// Request wraps an operation, with the client's sequence number for it
	// (1, 2, ...: the session servers deduplicate retries with), into the
	// message a server expects.
	Request func(seq uint64, op O) sim.Message
	// Reply reads a message from a server; ok is false for a message that is
	// not an answer.
	Reply func(m sim.Message) (r Reply, ok bool)
	// Route, if set, chooses per operation the server a request goes to, for
	// protocols where different operations are served by different servers
	// (chain replication: writes at the head, reads at the tail). It is asked
	// on each attempt that follows no hint: attempt 0 is the first send,
	// attempt n the n-th retry. ok false leaves that attempt to the
	// leader-seeking default (the presumed leader first, a random server on
	// a retry); so does a nil Route, and then a run is exactly as without the
	// hook. The server must be one of servers (ClientConfig.Servers). Hints in
	// "not leader" answers are still followed, and retries, redirect limits
	// and the deadline are as without Route. Route draws any randomness from
	// ctx, so a route may spread reads over replicas.
	Route func(ctx *sim.Context, servers []sim.NodeID, op O, attempt int) (server sim.NodeID, ok bool)
}

// Reply is a server's answer as the client reads it.
type Reply struct {
	Seq       uint64     // the sequence number of the request answered
	NotLeader bool       // the server does not lead; Leader may name who does
	Leader    sim.NodeID // NoHint when unknown
	Result    any        // the operation's output, recorded in the history
}

// Workload is what a client asks. Next is required.
type Workload[O any] struct {
	// Next draws the operation with sequence number seq.
	Next func(ctx *sim.Context, seq uint64) O
	// Observe, if set, sees each completed operation's result (say, to
	// remember a value for a later cas).
	Observe func(op O, result any)
	// Probe, if set, is the write a client whose operations are used up
	// (ClientConfig.OpsMax) issues in the liveness phase, until one
	// completes, so that write-after-heal can still be judged; without it
	// such a client stops.
	Probe func(ctx *sim.Context, seq uint64) O
}

// ClientConfig configures a client agent.
type ClientConfig[O any] struct {
	Servers []sim.NodeID
	Timing  Timing
	OpsMax  int // operations in the safety phase; 0: no cap
	// Skip, if set, names operations (by client agent name and sequence
	// number) the client leaves out, with how long each still takes
	// (protocols.Options.Skip): it draws one as usual, does not invoke it,
	// and goes on to the next after that long and a pause, as if it had
	// completed then. A skipped operation counts for OpsMax.
	Skip     func(client string, seq uint64) (sim.Time, bool)
	Protocol Protocol[O]
	Workload Workload[O]
}

// Client is the workload agent: one operation at a time, each invoked in the
// history with the next sequence number, retried at the leader it learns of
// until answered or given up (then the operation stays open: it may or may
// not have taken effect).
type Client[O any] struct {
	cfg       ClientConfig[O]
	seek      Seeker
	probeDone bool // a capped client's liveness-phase write completed
	seq       uint64
	busy      bool
	id        sim.OpID
	op        O
}

// NewClient returns a client agent; call it from an AgentSpec's New, so a
// restarted client starts afresh.
func NewClient[O any](cfg ClientConfig[O]) *Client[O] {
	assert.That(len(cfg.Servers) > 0, "kv client without servers")
	assert.That(cfg.Protocol.Request != nil && cfg.Protocol.Reply != nil && cfg.Workload.Next != nil,
		"kv client needs Protocol.Request, Protocol.Reply and Workload.Next")
	return &Client[O]{cfg: cfg, seek: Seeker{Servers: cfg.Servers, Timing: cfg.Timing}}
}

// Start implements sim.Agent.
func (c *Client[O]) Start(ctx *sim.Context) {
	c.seek.Start(ctx)
	ctx.SetTimer(issueTimer, ctx.RandTime(0, c.cfg.Timing.ThinkMax))
}

// Receive implements sim.Agent.
func (c *Client[O]) Receive(ctx *sim.Context, from sim.NodeID, m sim.Message) {
	r, ok := c.cfg.Protocol.Reply(m)
	if !ok || !c.busy || r.Seq != c.seq {
		return // a late or duplicated answer to an earlier operation
	}
	if r.NotLeader {
		c.seek.Redirect(ctx, r.Leader, c.request())
		return
	}
	c.busy = false
	c.probeDone = c.cfg.OpsMax > 0 && int(c.seq) > c.cfg.OpsMax
	ctx.Return(c.id, r.Result)
	if c.cfg.Workload.Observe != nil {
		c.cfg.Workload.Observe(c.op, r.Result)
	}
	c.seek.Done(ctx)
	ctx.SetTimer(issueTimer, ctx.RandTime(0, c.cfg.Timing.ThinkMax))
}

// Timer implements sim.Agent.
func (c *Client[O]) Timer(ctx *sim.Context, name string) {
	switch name {
	case issueTimer:
		c.issue(ctx)
	case RetryTimer:
		if !c.seek.Retry(ctx, c.request()) {
			c.busy = false // the operation stays open: it may or may not take effect
			c.issue(ctx)
		}
	}
}

func (c *Client[O]) issue(ctx *sim.Context) {
	if c.cfg.OpsMax > 0 && int(c.seq) >= c.cfg.OpsMax {
		c.issueCapped(ctx)
		return
	}
	c.seq++
	c.op = c.cfg.Workload.Next(ctx, c.seq)
	if c.cfg.Skip != nil {
		if took, skip := c.cfg.Skip(ctx.Name(ctx.Self()), c.seq); skip {
			ctx.SetTimer(issueTimer, took+ctx.RandTime(0, c.cfg.Timing.ThinkMax))
			return
		}
	}
	c.start(ctx)
}

// issueCapped: a client whose operations are used up (a shrinker's "fewer
// operations") idles through the safety phase, then, given a Probe, writes
// until one write completes, so that the liveness property can still be
// judged.
func (c *Client[O]) issueCapped(ctx *sim.Context) {
	if c.cfg.Workload.Probe == nil {
		c.busy = false
		return
	}
	if c.probeDone {
		return
	}
	if ctx.Phase() == sim.PhaseSafety {
		ctx.SetTimer(issueTimer, c.cfg.Timing.CappedPoll)
		return
	}
	c.seq++
	c.op = c.cfg.Workload.Probe(ctx, c.seq)
	c.start(ctx)
}

func (c *Client[O]) start(ctx *sim.Context) {
	c.id = ctx.Invoke(c.op)
	c.busy = true
	c.seek.Route = c.route(c.op)
	c.seek.Begin(ctx, c.request())
}

// route binds Protocol.Route to one operation for the seeker. The closure
// captures only values that never change (not the client), so a clone of the
// client (the model checker's) routes the same.
func (c *Client[O]) route(op O) func(ctx *sim.Context, attempt int) (sim.NodeID, bool) {
	route, servers := c.cfg.Protocol.Route, c.cfg.Servers
	if route == nil {
		return nil
	}
	return func(ctx *sim.Context, attempt int) (sim.NodeID, bool) { return route(ctx, servers, op, attempt) }
}

// request is the message for the operation in flight.
func (c *Client[O]) request() sim.Message { return c.cfg.Protocol.Request(c.seq, c.op) }

// Summary renders the client's state on one line: the operation in flight,
// or how many were issued.
func (c *Client[O]) Summary() string {
	if c.busy {
		return "waiting #" + strconv.FormatUint(c.seq, 10) + " " + sim.Describe(c.op)
	}
	return "idle ops=" + strconv.FormatUint(c.seq, 10)
}

// Describe renders the client as Summary does (for -until and reports).
func (c *Client[O]) Describe() string { return c.Summary() }
