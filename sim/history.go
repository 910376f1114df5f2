package sim

import (
	"slices"

	"github.com/orrery-sim/orrery/internal/assert"
	"github.com/orrery-sim/orrery/traces"
)

// OpID identifies a client operation in a history.
type OpID int32

// Op is one client operation: its invocation and, once it completed, its result.
// An operation that never completed (client crashed, timed out) stays open: its
// effect may or may not have happened.
type Op struct {
	ID     OpID
	Client NodeID
	Input  any
	Output any
	Call   Time
	Return Time // Never while open
	Done   bool
}

// History is the record of client operations of a run, in invocation order.
type History struct {
	Ops []Op
	// Logical says that Call and Return are logical times, not virtual ones:
	// the model checker stamps the history's k-th invocation or return
	// (counting from 0) with k (explore/actors, under
	// protocols.ExploreSpec.OrderedHistory), since it has no clock, or under
	// timed exploration one that only timers advance, so that many events
	// share a reading. Only their order means anything.
	Logical bool
	// Clock, under timed exploration with logical times, is what the
	// explored clock read at each logical time: Clock[k] at the history's
	// k-th invocation or return. Nil when there is no clock. For reports,
	// like Targets.
	Clock []Time
	// Targets are, by OpID, the agents that the model checker's requests
	// from outside the world (Client External) went to; Target reads them.
	// Nil in a simulation. Like Logical and Clock, they are for reports: the
	// checker tells states apart by Ops alone.
	Targets []NodeID
}

// Target is the agent that operation id, a request from outside the world,
// was delivered to, when the history records it (under exploration).
func (h *History) Target(id OpID) (NodeID, bool) {
	if id < 0 || int(id) >= len(h.Targets) || h.Targets[id] == External {
		return External, false
	}
	return h.Targets[id], true
}

// Clone is a copy of h that shares nothing h may later change.
func (h *History) Clone() History {
	return History{Ops: slices.Clone(h.Ops), Logical: h.Logical, Targets: slices.Clone(h.Targets), Clock: slices.Clone(h.Clock)}
}

// target records that operation id went to agent to.
func (h *History) target(id OpID, to NodeID) {
	for len(h.Targets) < int(id) {
		h.Targets = append(h.Targets, External)
	}
	h.Targets = append(h.Targets[:id], to)
}

// historyOpsMax bounds a run's history.
const historyOpsMax = 1 << 22

func (h *History) invoke(w *World, client NodeID, input any) OpID {
	assert.That(len(h.Ops) < historyOpsMax, "history holds more than %d operations", historyOpsMax)
	id := OpID(len(h.Ops))
	h.Ops = append(h.Ops, Op{ID: id, Client: client, Input: input, Call: w.now, Return: Never})
	w.emit(traces.KindInvoke, client, External, "", input)
	return id
}

func (h *History) complete(w *World, id OpID, output any) {
	assert.That(id >= 0 && int(id) < len(h.Ops), "unknown operation %d", id)
	op := &h.Ops[id]
	if op.Done {
		return // a duplicate reply: the first one counts
	}
	op.Done, op.Output, op.Return = true, output, w.now
	w.emit(traces.KindReturn, op.Client, External, "", output)
}

// Request is a client request injected from outside the world with World.Request.
// The agent answers with Context.Return(req.ID, output).
type Request struct {
	ID      OpID
	Payload any
}

// Describe implements Describer.
func (r Request) Describe() string { return "Request#" + itoa(int64(r.ID)) + " " + Describe(r.Payload) }
