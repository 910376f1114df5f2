package quorum

import (
	"fmt"
	"slices"

	"github.com/orrery-sim/orrery/internal/assert"
	"github.com/orrery-sim/orrery/sim"
)

// Caller runs quorum calls for one agent, one call at a time. Its state is plain
// data (plus the active Spec's functions), so an agent that holds it stays
// cloneable for the model checker.
type Caller[R any] struct {
	name    string
	epoch   uint64
	seq     uint64
	active  bool
	spec    Spec[R]
	replies []Response[R]
	tries   int // resends so far
}

// NewCaller returns a caller. The name tells its calls and its timer apart from
// other callers of the same agent; the epoch tells its calls apart from those of
// an earlier incarnation of the agent (pass a boot counter kept in durable
// storage, or 0 for an agent that never restarts).
func NewCaller[R any](name string, epoch uint64) *Caller[R] {
	assert.That(name != "", "quorum: a caller needs a name")
	return &Caller[R]{name: name, epoch: epoch}
}

// TimerName is the name of the caller's retry timer; the agent routes that timer
// to Timer.
func (c *Caller[R]) TimerName() string { return "quorum/" + c.name }

// Active reports whether a call is in progress.
func (c *Caller[R]) Active() bool { return c.active }

// Current is the id of the active call, or of the last call made.
func (c *Caller[R]) Current() CallID { return CallID{Caller: c.name, Epoch: c.epoch, Seq: c.seq} }

// Call starts a call: it sends the request to every node of the configuration
// and arms the retry timer. An active call is abandoned: its late replies are
// ignored.
func (c *Caller[R]) Call(ctx Context, spec Spec[R]) CallID {
	assert.That(spec.Quorum != nil, "quorum: call without a quorum function")
	assert.That(len(spec.Nodes) > 0 && len(spec.Nodes) <= NodesMax, "quorum: configuration of %d nodes (1..%d)", len(spec.Nodes), NodesMax)
	assert.That(spec.Retries >= 0 && spec.Retries <= RetriesMax, "quorum: %d retries (0..%d)", spec.Retries, RetriesMax)
	assert.That(spec.Timeout >= 0, "quorum: negative timeout %v", spec.Timeout)
	for i, n := range spec.Nodes {
		assert.That(!slices.Contains(spec.Nodes[:i], n), "quorum: node %d twice in a configuration", n)
	}
	c.seq++
	c.active, c.spec, c.replies, c.tries = true, spec, c.replies[:0], 0
	c.send(ctx)
	return c.Current()
}

// send sends the request to every node that has not replied and re-arms the timer.
func (c *Caller[R]) send(ctx Context) {
	id := c.Current()
	for _, n := range c.spec.Nodes {
		if c.replied(n) {
			continue
		}
		arg := c.spec.Arg
		if c.spec.PerNode != nil {
			arg = c.spec.PerNode(n)
		}
		ctx.Send(n, Request{Call: id, Arg: arg, ConfigEpoch: c.spec.ConfigEpoch})
	}
	if c.spec.Timeout > 0 {
		ctx.SetTimer(c.TimerName(), c.spec.Timeout)
	}
}

func (c *Caller[R]) replied(n sim.NodeID) bool {
	return slices.ContainsFunc(c.replies, func(r Response[R]) bool { return r.From == n })
}

// Receive takes a reply the agent received. It returns the call's result and
// true when this reply decided the call (or showed it cannot be decided, or
// redirected it to a newer configuration); false when the reply was for
// another call, duplicated, from a node outside the configuration, a redirect
// to a configuration no newer than the call's, or not yet enough.
func (c *Caller[R]) Receive(ctx Context, from sim.NodeID, reply Reply) (Result[R], bool) {
	if !c.active || reply.Call != c.Current() || c.replied(from) || !slices.Contains(c.spec.Nodes, from) {
		return Result[R]{}, false
	}
	if reply.Redirect != nil {
		if reply.Redirect.Epoch <= c.spec.ConfigEpoch {
			return Result[R]{}, false
		}
		var zero R
		r := c.finish(ctx, zero, ErrStaleConfig)
		r.Redirect = &Configuration{Epoch: reply.Redirect.Epoch, Nodes: slices.Clone(reply.Redirect.Nodes)}
		return r, true
	}
	value, ok := reply.Value.(R)
	if !ok {
		assert.Fail("quorum: call %v got a %T reply from node %d, want %T", reply.Call, reply.Value, from, value)
	}
	c.replies = append(c.replies, Response[R]{From: from, Value: value})
	if v, done := c.spec.Quorum(slices.Clone(c.replies)); done {
		return c.finish(ctx, v, nil), true
	}
	if len(c.replies) == len(c.spec.Nodes) {
		var zero R
		return c.finish(ctx, zero, ErrIncomplete), true
	}
	return Result[R]{}, false
}

// Timer handles the caller's retry timer. It resends to the nodes that have not
// replied, or, once the retries are spent, fails the call with ErrTimeout and
// returns true. A stale firing (no active call) returns false.
func (c *Caller[R]) Timer(ctx Context, name string) (Result[R], bool) {
	assert.That(name == c.TimerName(), "quorum: caller %q given timer %q", c.name, name)
	if !c.active {
		return Result[R]{}, false
	}
	if c.tries >= c.spec.Retries {
		var zero R
		return c.finish(ctx, zero, ErrTimeout), true
	}
	c.tries++
	c.send(ctx)
	return Result[R]{}, false
}

// Abandon ends the active call, if any; its late replies will be ignored.
func (c *Caller[R]) Abandon(ctx Context) {
	if c.active {
		c.active = false
		ctx.CancelTimer(c.TimerName())
	}
}

// finish ends the active call. The replies and the argument are not read
// again until the next Call sets them afresh, so they are cleared: an idle
// caller is then the same state however its last call went (the model
// checker stores one state for them).
func (c *Caller[R]) finish(ctx Context, v R, err error) Result[R] {
	c.active = false
	if c.spec.Timeout > 0 {
		ctx.CancelTimer(c.TimerName())
	}
	r := Result[R]{Call: c.Current(), Value: v, Replies: slices.Clone(c.replies), Err: err}
	c.replies, c.spec.Arg, c.tries = c.replies[:0], nil, 0
	return r
}

// Describe renders the caller's state on one line.
func (c *Caller[R]) Describe() string {
	if !c.active {
		return fmt.Sprintf("%v idle", c.Current())
	}
	return fmt.Sprintf("%v %d/%d replies, retry %d/%d", c.Current(), len(c.replies), len(c.spec.Nodes), c.tries, c.spec.Retries)
}

// Majority is the quorum size of a majority of n nodes.
func Majority(n int) int { return n/2 + 1 }

// AtLeast is a quorum function that accepts once k replies have arrived and
// combines them with combine.
func AtLeast[R any](k int, combine func([]Response[R]) R) func([]Response[R]) (R, bool) {
	return func(replies []Response[R]) (R, bool) {
		if len(replies) < k {
			var zero R
			return zero, false
		}
		return combine(replies), true
	}
}
