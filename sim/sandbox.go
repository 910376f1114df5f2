package sim

import (
	"fmt"
	"slices"

	"github.com/orrery-sim/orrery/traces"
)

// A Sandbox runs agent handlers outside the event loop, one call at a time, on
// state its caller owns, and hands back what each handler did instead of
// applying it. It is the model checker's hook (explore/actors): the checker
// keeps every agent, store and in-flight message of a state itself, and uses a
// Sandbox to compute successors and to show a state to the properties.
//
// A Sandbox wraps a World that a protocol's Setup has filled and that never
// runs: its agents' names, ids, boxes and constructors, and its properties. The
// world's clock reads what the Call says to a handler and what Show says to a
// property (0 when exploration abstracts time away, timers firing whenever
// armed), and agent randomness is drawn from the world's chooser. A Sandbox is
// not safe for concurrent use; use one per goroutine.
type Sandbox struct {
	w       *World
	effects []Effect
}

// CallKind says which handler a Call runs.
type CallKind uint8

// The handlers.
const (
	CallStart CallKind = iota
	CallReceive
	CallTimer
)

// Call names one handler invocation.
type Call struct {
	Kind  CallKind
	Node  NodeID
	From  NodeID  // CallReceive: the sender (External for a client request)
	Msg   Message // CallReceive
	Timer string  // CallTimer
	// Now is what the agent's clock reads during the call (0 unless the
	// caller keeps a virtual clock).
	Now Time
}

// EffectKind says what an Effect does.
type EffectKind uint8

// The effects a handler can have besides writing its storage and history.
const (
	EffectSend EffectKind = iota
	EffectSetTimer
	EffectCancelTimer
)

// Effect is one Send, SetTimer or CancelTimer of a handler, in call order.
type Effect struct {
	Kind  EffectKind
	To    NodeID  // EffectSend
	Msg   Message // EffectSend
	Timer string  // EffectSetTimer, EffectCancelTimer
	After Time    // EffectSetTimer: the duration asked for
}

// CallResult is what one handler call did (a run's outcome is harness.Outcome).
type CallResult struct {
	// Agent is the agent after the call: the one passed in, or for CallStart a
	// new one built by the agent's constructor.
	Agent Agent
	// Effects are valid until the next call.
	Effects []Effect
	// Panic is the value the handler panicked with, rendered; "" if none.
	Panic string
}

// NewSandbox wraps w, a world set up but never run.
func NewSandbox(w *World) *Sandbox {
	return &Sandbox{w: w}
}

// World is the wrapped world: its agents' names and ids, and its properties,
// which see the state last passed to Show.
func (s *Sandbox) World() *World { return s.w }

// SetTrace makes the handlers' own trace events (notes, client invocations and
// returns) reach sink, rendered; nil turns tracing off. Choices are not
// attached: under exploration the checker's choice of action is the only one.
func (s *Sandbox) SetTrace(sink func(*traces.Event)) {
	if sink == nil {
		s.w.sink = nil
		return
	}
	s.w.sink = func(e *traces.Event) {
		e.Choices = nil
		sink(e)
	}
}

// Run runs one handler on agent (ignored for CallStart, which builds a new
// agent) with storage and history, which it modifies: the caller passes
// copies it owns. Storage writes stay unsynced until the handler syncs.
func (s *Sandbox) Run(c Call, agent Agent, storage *Storage, history *History) CallResult {
	w := s.w
	n := w.nodes[c.Node]
	n.agent, n.storage, n.up = agent, storage, true
	w.history, w.seq, w.current, w.result = *history, 0, c.Node, nil
	w.now = c.Now
	ctx := &w.ctx
	ctx.self, ctx.effects = c.Node, ctx.effects[:0]
	panicked := s.call(func() {
		switch c.Kind {
		case CallStart:
			n.agent = n.spec.New()
			n.agent.Start(ctx)
		case CallReceive:
			n.agent.Receive(ctx, c.From, c.Msg)
		case CallTimer:
			n.agent.Timer(ctx, c.Timer)
		}
	})
	s.effects = s.effects[:0]
	for _, e := range ctx.effects {
		s.effects = append(s.effects, Effect{Kind: EffectKind(e.kind), To: e.to, Msg: e.msg, Timer: e.name, After: e.after})
	}
	clear(ctx.effects)
	*history = w.history
	out := CallResult{Agent: n.agent, Effects: s.effects, Panic: panicked}
	s.finish()
	return out
}

// Invoke records a client operation from outside the world (a Request whose
// ID is the returned OpID) in history, as World.Request does, and that the
// request goes to agent to (History.Target).
func (s *Sandbox) Invoke(history *History, to NodeID, payload any) OpID {
	w := s.w
	w.history, w.seq, w.current = *history, 0, External
	id := w.history.invoke(w, External, payload)
	w.history.Ops[id].Client = External
	w.history.target(id, to)
	*history = w.history
	s.finish()
	return id
}

// call runs fn and returns what it panicked with, if anything: under
// exploration a panic is a finding about one state, not the end of a run.
func (s *Sandbox) call(fn func()) (panicked string) {
	defer func() {
		if r := recover(); r != nil {
			panicked = fmt.Sprint(r)
		}
	}()
	fn()
	return ""
}

// finish hands the last traced event over and drops what the call left behind.
func (s *Sandbox) finish() {
	w := s.w
	if w.sink != nil {
		w.FlushTrace()
	}
	w.choices = w.choices[:0]
	w.history = History{}
	w.current = External
	w.now = 0
	for _, n := range w.nodes {
		n.agent, n.storage = nil, nil
	}
}

// Show makes the wrapped world display a state to its properties: the agents
// (nil for one whose box is down), their stores, the client history and the
// state's clock, which World.Now reads (a property that compares a deadline
// an agent holds with the clock judges the state's clock, not 0). The world
// keeps references to them until the next Show or Run.
func (s *Sandbox) Show(agents []Agent, storages []*Storage, history *History, now Time) {
	w := s.w
	w.now = now
	for i, n := range w.nodes {
		n.agent, n.storage, n.up = agents[i], storages[i], agents[i] != nil
	}
	for _, b := range w.boxes {
		b.up = !slices.ContainsFunc(b.nodes, func(id NodeID) bool { return !w.nodes[id].up })
	}
	w.history, w.seq, w.current, w.result = *history, 0, External, nil
}

// Check evaluates one of the world's properties on the state last shown. A
// panic in the property's Check is the property failing on that state, as a
// *PropertyPanic, so exploration reports it with the path that reached the
// state instead of dying.
func (s *Sandbox) Check(p Property) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &PropertyPanic{Property: p.Name, Value: fmt.Sprint(r)}
		}
	}()
	if err := p.Check(s.w); err != nil {
		// A message may be built when read (Property), and the sandbox
		// shows another state once it is used again: read it now.
		return &checkedError{msg: err.Error(), err: err}
	}
	return nil
}

// checkedError is a property's error with its message read on the state it
// was checked on.
type checkedError struct {
	msg string
	err error
}

func (e *checkedError) Error() string { return e.msg }
func (e *checkedError) Unwrap() error { return e.err }

// PropertyPanic is the error of a property whose Check panicked.
type PropertyPanic struct {
	Property string
	Value    string // what it panicked with
}

func (e *PropertyPanic) Error() string { return "panicked: " + e.Value }

// Crashed returns a copy of the store as a crash that loses every unsynced
// write leaves it (LoseUnsynced).
func (s *Storage) Crashed() *Storage {
	c := s.Clone()
	c.crash(0)
	return c
}
