package quorum

import (
	"errors"
	"fmt"
	"slices"

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
	// ErrStaleConfig: a node answered that the call's configuration has been
	// replaced; Result.Redirect holds the node's newer configuration.
	ErrStaleConfig = errors.New("quorum: the configuration of the call is stale")
)

// Configuration is a numbered set of nodes. Configurations that replace each
// other carry growing epochs, so that a node can tell a call made in an older
// configuration from one made in its own.
type Configuration struct {
	Epoch uint64
	Nodes []sim.NodeID
}

func (c Configuration) String() string { return fmt.Sprintf("e%d%v", c.Epoch, c.Nodes) }

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
	// ConfigEpoch is the epoch of the configuration the call was made in
	// (Spec.ConfigEpoch; 0 for calls that do not version configurations).
	ConfigEpoch uint64
}

// Reply answers the request with value.
func (r Request) Reply(value any) Reply { return Reply{Call: r.Call, Value: value} }

// Stale reports whether the request was made in a configuration older than
// the node's, whose epoch is epoch. A node then does not serve it: it answers
// with RedirectTo. Unversioned requests (epoch 0) are never stale.
func (r Request) Stale(epoch uint64) bool { return r.ConfigEpoch != 0 && r.ConfigEpoch < epoch }

// RedirectTo answers the request with the node's newer configuration instead
// of a value: the caller's call ends with ErrStaleConfig, and it may call again
// in c.
func (r Request) RedirectTo(c Configuration) Reply {
	c.Nodes = slices.Clone(c.Nodes)
	return Reply{Call: r.Call, Redirect: &c}
}

// Describe implements sim.Describer.
func (r Request) Describe() string {
	if r.ConfigEpoch != 0 {
		return fmt.Sprintf("%v e%d %s", r.Call, r.ConfigEpoch, sim.Describe(r.Arg))
	}
	return r.Call.String() + " " + sim.Describe(r.Arg)
}

// Reply is a node's answer to a Request; the agent forwards it to its Caller.
type Reply struct {
	Call  CallID
	Value any
	// Redirect, when set, is the node's configuration, newer than the call's:
	// the reply is a redirect, not an answer (Request.RedirectTo).
	Redirect *Configuration
}

// Describe implements sim.Describer.
func (r Reply) Describe() string {
	if r.Redirect != nil {
		return r.Call.String() + " → redirect " + r.Redirect.String()
	}
	return r.Call.String() + " → " + sim.Describe(r.Value)
}

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
	// ConfigEpoch is the epoch of the configuration Nodes (0: unversioned).
	// Every request carries it, and a reply redirecting to a configuration
	// with a higher epoch ends the call with ErrStaleConfig.
	ConfigEpoch uint64
}

// Result is the outcome of a decided or failed call.
type Result[R any] struct {
	Call    CallID
	Value   R // the quorum function's result, when Err is nil
	Replies []Response[R]
	Err     error
	// Redirect is the newer configuration a node named (Err is ErrStaleConfig).
	Redirect *Configuration
}
