package quorum

import (
	"errors"
	"fmt"

	"github.com/orrery-sim/orrery/sim"
)

// Context is what a Caller needs from a handler's context; *sim.Context has it.
// Tests may pass a fake.
type Context interface {
	Send(to sim.NodeID, msg sim.Message)
	SetTimer(name string, after sim.Time)
	CancelTimer(name string)
}

// Limits of one call, asserted.
const (
	// NodesMax bounds a configuration.
	NodesMax = 1024
	// RetriesMax bounds the resends of one call.
	RetriesMax = 1000
)

// Named outcomes of a call that did not reach a quorum.
var (
	// ErrTimeout: the retries ran out before the quorum function accepted.
	ErrTimeout = errors.New("quorum: timed out")
	// ErrIncomplete: every node of the configuration replied and the quorum
	// function still did not accept.
	ErrIncomplete = errors.New("quorum: every node replied without a quorum")
)

// CallID names one call: the caller's name, the epoch it was created with and a
// sequence number.
type CallID struct {
	Caller string
	Epoch  uint64
	Seq    uint64
}

func (id CallID) String() string { return fmt.Sprintf("%s#%d.%d", id.Caller, id.Epoch, id.Seq) }

// Request is what a node of the configuration receives. It answers with
// ctx.Send(from, req.Reply(value)).
type Request struct {
	Call CallID
	Arg  any
}

// Reply answers the request with value.
func (r Request) Reply(value any) Reply { return Reply{Call: r.Call, Value: value} }

// Describe implements sim.Describer.
func (r Request) Describe() string { return r.Call.String() + " " + sim.Describe(r.Arg) }

// Reply is a node's answer to a Request; the agent forwards it to its Caller.
type Reply struct {
	Call  CallID
	Value any
}

// Describe implements sim.Describer.
func (r Reply) Describe() string { return r.Call.String() + " → " + sim.Describe(r.Value) }

// Response is one node's reply as the quorum function sees it.
type Response[R any] struct {
	From  sim.NodeID
	Value R
}

// Spec describes one call.
type Spec[R any] struct {
	// Nodes is the configuration: the nodes asked, each once, in this order.
	Nodes []sim.NodeID
	// Arg is the argument of every node, unless PerNode is set.
	Arg any
	// PerNode, when set, gives each node its own argument.
	PerNode func(node sim.NodeID) any
	// Quorum is asked after every new reply, with the replies so far in arrival
	// order (at most one per node). It returns the combined result and whether
	// the call is decided. It must be a pure function of its argument.
	Quorum func(replies []Response[R]) (R, bool)
	// Timeout is how long to wait (local time) before resending to the nodes
	// that have not replied. Zero: never resend, wait for replies forever.
	Timeout sim.Time
	// Retries is how many times to resend before failing with ErrTimeout.
	Retries int
}

// Result is the outcome of a decided or failed call.
type Result[R any] struct {
	Call    CallID
	Value   R // the quorum function's result, when Err is nil
	Replies []Response[R]
	Err     error
}
