package actors

import (
	"errors"
	"fmt"
	"hash/fnv"
	"slices"

	"github.com/orrery-sim/orrery/scheduler"
	"github.com/orrery-sim/orrery/sim"
	"github.com/orrery-sim/orrery/traces"
)

// A counterexample becomes an ordinary trace: Trace re-executes its action
// indexes (explore.Counterexample.Choices) and renders every step as the
// events a simulation would have traced (start, recv, timer, drop, crash,
// restart, the handlers' notes and client invocations and returns), step k
// at virtual time k ms. The first event of each step records the choice that
// made it, "order:k/n": the index of the action among the n enabled ones, so
// the trace alone re-executes the path (simrun -replay).

// stepTime is the virtual time between two steps of a rendered path.
const stepTime = sim.Millisecond

// Run is a re-executed path.
type Run struct {
	Events []traces.Event
	// Final is the last state; Failure names the first invariant it breaks
	// and why ("" when none does).
	Final           State
	Failure, Reason string
	// Liveness: Failure is an Eventually property the path's cycle never
	// satisfies (TraceLasso), not an invariant.
	Liveness bool
}

// Trace re-executes choices (choices[0] picks the initial state, each later
// one an action among those enabled) and renders the run.
func (m *Model) Trace(choices []int) (*Run, error) {
	run, _, err := m.trace(choices)
	return run, err
}

// TraceLasso re-executes a liveness counterexample of the Eventually
// property named property (explore.Counterexample: its Choices, and LoopAt,
// the step where the cycle starts) and renders the prefix and one turn of
// the cycle as Trace does, ending with the property's failure. It checks
// that the cycle returns to the state of step loopAt and that the property
// does not hold there.
func (m *Model) TraceLasso(choices []int, property string, loopAt int) (*Run, error) {
	i := slices.IndexFunc(m.props, func(p sim.Property) bool { return p.Kind == sim.Eventually && p.Name == property })
	switch {
	case i < 0:
		return nil, fmt.Errorf("actors: no eventually property %q", property)
	case loopAt < 1 || loopAt > len(choices):
		return nil, fmt.Errorf("actors: cycle start %d outside the path's %d steps", loopAt, len(choices))
	}
	start, _, err := m.trace(choices[:loopAt])
	if err != nil {
		return nil, err
	}
	run, tr, err := m.trace(choices)
	if err != nil || run.Failure != "" {
		return run, err
	}
	if m.Fingerprint(start.Final) != m.Fingerprint(run.Final) {
		return nil, fmt.Errorf("actors: the cycle does not return to the state of step %d", loopAt)
	}
	why := m.check(run.Final, i)
	if why == nil {
		return nil, fmt.Errorf("actors: %s holds at the cycle's start (step %d)", property, loopAt)
	}
	run.Failure, run.Liveness = property, true
	run.Reason = fmt.Sprintf("steps %d-%d repeat for ever without it: %v", loopAt+1, len(choices), why)
	if loopAt == len(choices) {
		run.Reason = fmt.Sprintf("the run stays in step %d for ever (no fair action is enabled): %v", loopAt, why)
	}
	tr.emit(traces.Event{Kind: traces.KindFail, Type: property, Text: property + ": " + run.Reason})
	run.Events = tr.events
	return run, nil
}

// trace re-executes choices and renders the run; the tracer is returned so
// that a caller can add events.
func (m *Model) trace(choices []int) (*Run, *tracer, error) {
	if len(choices) == 0 || choices[0] != 0 {
		return nil, nil, errors.New("actors: a path starts with choice 0, the one initial state")
	}
	sb, err := m.newSandbox()
	if err != nil {
		return nil, nil, err
	}
	tr := &tracer{m: m, ids: map[uint64][]sentMessage{}}
	sb.sb.SetTrace(tr.add)
	tr.choice = scheduler.Choice{Purpose: scheduler.Order, N: 1}
	s := m.initState(sb, tr)
	var actions []Action
	for k, c := range choices[1:] {
		actions = m.Actions(s, actions[:0])
		if c < 0 || c >= len(actions) {
			return nil, nil, fmt.Errorf("step %d: choice %d of %d enabled actions", k+2, c, len(actions))
		}
		tr.now = sim.Time(k+1) * stepTime
		tr.choice = scheduler.Choice{Purpose: scheduler.Order, N: uint64(len(actions)), Value: uint64(c)}
		tr.action(actions[c])
		s = m.step(sb, s, actions[c], tr)
	}
	run := &Run{Events: tr.events, Final: s}
	if why := m.Explain(s); len(why) > 0 {
		run.Failure, run.Reason = failure(why[0])
		tr.emit(traces.Event{Kind: traces.KindFail, Type: run.Failure, Text: why[0]})
		run.Events = tr.events
	}
	return run, tr, nil
}

func failure(line string) (property, reason string) {
	for i := 0; i+1 < len(line); i++ {
		if line[i] == ':' && line[i+1] == ' ' {
			return line[:i], line[i+2:]
		}
	}
	return line, ""
}

// Footer is the trace footer of a run: its verdict and a hash of its events.
func (r *Run) Footer() *traces.Footer {
	h := fnv.New64a()
	for _, e := range r.Events {
		fmt.Fprintf(h, "%d %d %s %s\n", e.Seq, e.Time, e.Desc, e.Choices)
	}
	f := &traces.Footer{Verdict: sim.VerdictPass.String(), Events: uint64(len(r.Events)), Hash: fmt.Sprintf("%016x", h.Sum64())}
	if len(r.Events) > 0 {
		f.End = r.Events[len(r.Events)-1].Time
	}
	if r.Failure != "" {
		f.Verdict, f.Property, f.Reason = sim.VerdictSafety.String(), r.Failure, r.Reason
		switch {
		case r.Failure == PanicProperty:
			f.Verdict = sim.VerdictPanic.String()
		case r.Liveness:
			f.Verdict = sim.VerdictLiveness.String()
		}
	}
	return f
}

// tracer renders a path as it is re-executed. Its methods do nothing on a
// nil tracer, so the search pays nothing for them.
type tracer struct {
	m      *Model
	now    sim.Time
	events []traces.Event
	choice scheduler.Choice // not yet attached to an event
	// ids gives each message in flight the id and time of its send, by
	// envelope fingerprint: equal envelopes are interchangeable, so a
	// delivery takes the oldest.
	ids    map[uint64][]sentMessage
	nextID uint64
}

type sentMessage struct {
	id uint64
	at sim.Time
}

// add takes an event the sandbox traced.
func (t *tracer) add(e *traces.Event) { t.emit(*e) }

func (t *tracer) emit(e traces.Event) {
	e.Seq, e.Time = uint64(len(t.events)+1), int64(t.now)
	if t.choice.N > 0 {
		e.Choices = []string{traces.EncodeChoice(t.choice)}
		t.choice = scheduler.Choice{}
	}
	e.Desc = traces.Describe(&e)
	t.events = append(t.events, e)
}

func (t *tracer) start(id sim.NodeID) {
	if t != nil {
		t.emit(traces.Event{Kind: traces.KindStart, Node: t.m.names[id]})
	}
}

// request emits the arrival of a client request from outside the world.
func (t *tracer) request(to sim.NodeID, req sim.Request) {
	if t != nil {
		t.emit(traces.Event{Kind: traces.KindRecv, Node: t.m.names[to], Type: sim.TypeName(req), Text: sim.Describe(req)})
	}
}

func (t *tracer) sent(e *envelope) {
	if t != nil {
		t.nextID++
		t.ids[e.fp] = append(t.ids[e.fp], sentMessage{id: t.nextID, at: t.now})
	}
}

// take returns the id and send time of the oldest copy of e in flight and,
// unless the network duplicates, forgets it.
func (t *tracer) take(e *envelope) sentMessage {
	q := t.ids[e.fp]
	if len(q) == 0 {
		return sentMessage{}
	}
	if t.m.cfg.Network != Duplicating {
		t.ids[e.fp] = q[1:]
	}
	return q[0]
}

// action emits the event that begins the step of a.
func (t *tracer) action(a Action) {
	m := t.m
	switch a.Kind {
	case Deliver, Drop:
		env := newEnvelope(a.From, a.Node, a.Msg)
		sent := t.take(&env)
		e := traces.Event{Kind: traces.KindRecv, Node: m.names[a.Node], Peer: m.names[a.From], Msg: sent.id, SentAt: int64(sent.at),
			Type: sim.TypeName(a.Msg), Text: sim.Describe(a.Msg)}
		if a.Kind == Drop {
			e.Kind, e.Msg, e.SentAt, e.Text = traces.KindDrop, 0, 0, "loss"
		}
		t.emit(e)
	case Fire:
		t.emit(traces.Event{Kind: traces.KindTimer, Node: m.names[a.Node], Type: a.Timer})
	case Request:
		// The sandbox traces the invocation; the request's arrival follows.
	case Crash:
		t.emit(traces.Event{Kind: traces.KindCrash, Type: m.boxes[a.Index].name, Text: m.boxes[a.Index].name})
	case Restart:
		t.emit(traces.Event{Kind: traces.KindRestart, Type: m.boxes[a.Index].name, Text: m.boxes[a.Index].name})
	}
}
