package sim

import (
	"fmt"
	"reflect"
	"strconv"
)

// NodeID names an agent in a world. IDs are dense, starting at 0, in the order
// agents were added.
type NodeID int32

// External is the sender of client requests injected from outside the world.
const External NodeID = -1

// Message is anything an agent sends. A message should be an immutable value: the
// world does not copy it, and a duplicated message is delivered twice as the same
// value. A message that implements Describer renders itself in traces.
type Message = any

// Agent is a deterministic state machine. Handlers must not retain the *Context.
type Agent interface {
	// Start runs when the agent is created and again after every restart of its box.
	// It is the recovery path: Storage holds what was synced before the crash.
	Start(ctx *Context)
	// Receive handles a message from another agent (or from External).
	Receive(ctx *Context, from NodeID, msg Message)
	// Timer handles the firing of the named timer.
	Timer(ctx *Context, name string)
}

// Summarizer is implemented by an agent that can say on one line what state it
// is in: a role word first, then key=value pairs with the most telling first
// ("leader term=2 commit=1 ..."). Traces record it on a handler's event when it
// changed (it never enters the trace hash), the trace viewer draws it as a state
// track and marks changes of role and of term, ballot or epoch, and replays and
// model-checker counterexamples print it.
type Summarizer interface {
	Summary() string
}

// Summarize renders an agent's state: its Summary, else Describe(a).
func Summarize(a Agent) string {
	if s, ok := a.(Summarizer); ok {
		return s.Summary()
	}
	return Describe(a)
}

// Describer renders a value on one line for traces, reports and scenario output.
type Describer interface {
	Describe() string
}

// TypeNamer is implemented by a message whose type name in traces is not its Go
// type's: a wrapper around another system's messages (one Go type carrying many
// kinds, such as etcd's raftpb.Message) names the kind it carries, so traces,
// the viewer's filters, Perfetto and the trace hash tell the kinds apart.
// TypeName must be a function of the value alone, and cheap: it runs per event.
type TypeNamer interface {
	TypeName() string
}

// TypeName is the name msg shows in traces and the trace hash: its TypeName
// method's answer, or its Go type's name (without the package), or the type
// written out for unnamed types.
func TypeName(msg Message) string {
	if n, ok := msg.(TypeNamer); ok {
		return n.TypeName()
	}
	return goTypeName(reflect.TypeOf(msg))
}

func goTypeName(t reflect.Type) string {
	if t == nil {
		return "<nil>"
	}
	if name := t.Name(); name != "" {
		return name
	}
	return t.String()
}

// Describe renders v with its Describe method, else its String method, a string
// quoted, nil as <nil>, and anything else with %T%+v (the TypeName, for a
// TypeNamer).
func Describe(v any) string {
	switch d := v.(type) {
	case nil:
		return "<nil>"
	case Describer:
		return d.Describe()
	case fmt.Stringer:
		return d.String()
	case string:
		return strconv.Quote(d)
	}
	if n, ok := v.(TypeNamer); ok {
		return fmt.Sprintf("%s%+v", n.TypeName(), v)
	}
	return fmt.Sprintf("%T%+v", v, v)
}

// AgentSpec declares one agent of a world.
type AgentSpec struct {
	Name string // unique, e.g. "n1" or "client2"
	Box  string // unit of failure; "" means a box of its own named after the agent
	// New builds a fresh agent: at the start of the run and at every restart.
	New func() Agent
}
