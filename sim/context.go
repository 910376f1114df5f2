package sim

import (
	"fmt"
	"io"

	"github.com/orrery-sim/orrery/internal/assert"
	"github.com/orrery-sim/orrery/scheduler"
)

// Context is what a handler acts through. Sends and timer changes are collected
// and applied by the world when the handler returns; storage writes are visible at
// once and become durable at Sync. A Context is valid only during the handler call.
type Context struct {
	w       *World
	self    NodeID
	effects []effect
}

type effectKind uint8

const (
	effectSend effectKind = iota
	effectSetTimer
	effectCancelTimer
)

type effect struct {
	kind  effectKind
	to    NodeID
	msg   Message
	name  string
	after Time
}

// effectsPerHandlerMax bounds what one handler call may do.
const effectsPerHandlerMax = 1 << 16

// Self is the agent's own id.
func (c *Context) Self() NodeID { return c.self }

// Name is the name of an agent, for annotations.
func (c *Context) Name(id NodeID) string { return c.w.Name(id) }

// Now is the agent's local clock: virtual time as skewed by clock faults.
func (c *Context) Now() Time { return c.w.localTime(c.self) }

// Phase tells a workload agent whether the run is in its liveness phase.
func (c *Context) Phase() Phase { return c.w.phase }

// Send sends msg to another agent. Delivery, delay and loss are the network's.
func (c *Context) Send(to NodeID, msg Message) {
	if !c.w.valid(to) {
		assert.Fail("%s sends to unknown node %d", c.w.Name(c.self), to)
	}
	c.push(effect{kind: effectSend, to: to, msg: msg})
}

// SetTimer arms the named timer to fire after the given local duration, replacing
// an armed timer of the same name.
func (c *Context) SetTimer(name string, after Time) {
	if after < 0 {
		assert.Fail("timer %q set %v in the past", name, after)
	}
	c.push(effect{kind: effectSetTimer, name: name, after: after})
}

// CancelTimer disarms the named timer, if armed.
func (c *Context) CancelTimer(name string) {
	c.push(effect{kind: effectCancelTimer, name: name})
}

func (c *Context) push(e effect) {
	c.effects = append(c.effects, e)
	if len(c.effects) > effectsPerHandlerMax {
		assert.Fail("%s: more than %d effects in one handler", c.w.Name(c.self), effectsPerHandlerMax)
	}
}

// Storage is the agent's durable store.
func (c *Context) Storage() *Storage { return c.w.nodes[c.self].storage }

// Sync makes every write so far durable. Messages sent by this handler leave after
// the sync, so a reply never outruns the state it depends on.
func (c *Context) Sync() { c.w.nodes[c.self].storage.sync() }

// Rand returns a value in [0, n), drawn through the scheduler.
func (c *Context) Rand(n uint64) uint64 { return c.w.choose(scheduler.Rand, n) }

// RandTime returns a duration in [min, max], drawn through the scheduler.
func (c *Context) RandTime(min, max Time) Time {
	if min > max {
		assert.Fail("RandTime(%v, %v)", min, max)
	}
	return min + Time(c.w.choose(scheduler.Rand, uint64(max-min)+1))
}

// RandReader returns a reader of random bytes drawn through the scheduler, one
// rand choice per byte, for libraries that draw their own randomness from an
// io.Reader (crypto/rand.Int(ctx.RandReader(), max), or package randhook for a
// library that reads crypto/rand.Reader itself). The bytes are ordinary
// choices: recorded in the trace, replayed, and shrunk towards zero bytes. Like
// the Context, the reader is valid only during the handler call.
func (c *Context) RandReader() io.Reader { return randReader{c} }

// randReader is pointer-shaped, so returning it as an io.Reader allocates nothing.
type randReader struct{ c *Context }

// Read fills p with bytes drawn through the scheduler; it never fails.
func (r randReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(r.c.w.choose(scheduler.Rand, 256))
	}
	return len(p), nil
}

// Logf records an annotation in the trace.
func (c *Context) Logf(format string, args ...any) {
	c.w.note(c.self, fmt.Sprintf(format, args...))
}

// Invoke records the start of a client operation in the history and returns its id.
// Workload agents call it when they issue an operation.
func (c *Context) Invoke(input any) OpID { return c.w.history.invoke(c.w, c.self, input) }

// Return records the completion of a client operation: one the agent invoked
// itself, or a request that came from outside the world (Request.ID).
func (c *Context) Return(id OpID, output any) { c.w.history.complete(c.w, id, output) }
