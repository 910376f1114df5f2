package sim

import (
	"fmt"
	"reflect"
	"runtime/debug"

	"github.com/orrery-sim/orrery/internal/assert"
	"github.com/orrery-sim/orrery/traces"
)

// start schedules every agent's Start at time 0 (or when StartLate says), in
// id order.
func (w *World) start() {
	if w.started {
		return
	}
	w.started = true
	for _, n := range w.nodes {
		w.schedule(n.startAt, event{kind: evStart, node: n.id, from: External, inc: n.incarnation})
	}
}

// StartLate delays the first Start of agent id to virtual time at; it must be
// called before the run starts. Until then the agent does not exist: a
// message sent to it is dropped ("not started"). A client that starts late
// joins a cluster that has settled, without the retries of one that waits
// for a leader (harness.Config.StartAt; the shrinker starts clients late).
func (w *World) StartLate(id NodeID, at Time) {
	assert.That(!w.started, "StartLate %d after the run started", id)
	assert.That(w.valid(id) && at >= 0, "StartLate %d at %v", id, at)
	w.nodes[id].startAt = at
}

// requeuedPerInstantMax bounds the events handed back at one instant while a
// restarted agent's Start is pending: more means the Start can never run.
const requeuedPerInstantMax = 1 << 20

func (w *World) schedule(at Time, e event) {
	if w.queue.len() >= w.limits.QueueMax {
		assert.Fail("more than %d events queued", w.limits.QueueMax)
	}
	w.queue.push(at, e)
}

// At schedules fn to run at virtual time t. A non-empty label is traced as a fault
// event; actions that trace themselves (Crash, Restart, ...) pass "". The nemesis,
// workloads and scenario scripts act on the world this way.
func (w *World) At(t Time, label string, fn func(*World)) {
	assert.That(t >= w.now, "action %q scheduled in the past (%v < %v)", label, t, w.now)
	w.schedule(t, event{kind: evAction, node: External, action: &action{label: label, fn: fn}})
}

// Request injects a client request to an agent at time t; the history records its
// invocation then. The agent answers with Context.Return.
func (w *World) Request(t Time, to NodeID, payload any) {
	w.At(t, "", func(w *World) {
		id := w.history.invoke(w, External, payload)
		w.history.Ops[id].Client = External
		w.deliverNow(External, to, Request{ID: id, Payload: payload})
	})
}

// deliverNow hands a message from outside the network straight to an agent's queue.
func (w *World) deliverNow(from, to NodeID, msg Message) {
	w.msgSeq++
	w.schedule(w.now, event{kind: evDeliver, node: to, from: from, msg: msg, msgID: w.msgSeq, sentAt: w.now})
}

// Step runs the next event. It returns false when nothing is left to run, the
// run has a verdict or it reached the StopAfter bound.
func (w *World) Step() bool {
	w.start()
	if w.halted() || w.queue.len() == 0 {
		return false
	}
	at, e := w.queue.pop()
	if at != w.now {
		w.requeued = 0
	}
	w.now = at
	w.processGuarded(&e)
	if w.result == nil {
		w.guard(w.checkAlways)
	}
	if w.sink != nil {
		w.FlushTrace()
	}
	return !w.halted()
}

// StopAfter makes the run stop once n events have run (0: no bound): no step
// starts after that, so a run stops after the step that emitted event n (a
// handler runs whole: the events it emitted after event n are traced too). The
// phases run as usual until then: simrun -until inspects the recorded run.
func (w *World) StopAfter(n uint64) { w.stopAt = n }

// EndAfter ends the run once n events have run, in whichever phase: no later
// step, no liveness verdict, and the end-of-run properties (AtEnd, Sometimes)
// judged there. A property judged over the history so far, such as
// linearizability, fails on a prefix of a failing history as it does on the
// whole; the shrinker uses this to end such a run where it already fails.
// 0: no bound.
func (w *World) EndAfter(n uint64) { w.endAt = n }

// halted reports whether the run has a verdict or reached its StopAfter or
// EndAfter bound.
func (w *World) halted() bool {
	return w.result != nil || (w.stopAt > 0 && w.seq >= w.stopAt) || w.ended()
}

// ended reports whether the run reached its EndAfter bound.
func (w *World) ended() bool { return w.endAt > 0 && w.seq >= w.endAt }

// NextTime is the time of the next scheduled event, or Never.
func (w *World) NextTime() Time {
	w.start()
	if w.queue.len() == 0 {
		return Never
	}
	return w.queue.peek()
}

// RunUntil runs every event scheduled up to and including t, then advances the
// clock to t. It returns false if the run has a verdict.
func (w *World) RunUntil(t Time) bool {
	for !w.halted() && w.NextTime() <= t {
		w.Step()
	}
	if !w.halted() && w.now < t {
		w.now = t
	}
	return w.result == nil
}

// runningEngine marks that no handler or action is running: a panic then is a
// failed engine assertion.
const runningEngine NodeID = -2

// processGuarded runs one event under the step's recover (guard).
func (w *World) processGuarded(e *event) {
	defer w.recoverPanic()
	w.process(e)
}

// guard runs fn, a part of a step (a property check, a phase hook), under the
// step's recover.
func (w *World) guard(fn func()) {
	defer w.recoverPanic()
	fn()
}

// recoverPanic, deferred around each part of a step, turns a panic in an
// agent's handler, in a scheduled action, in a property's Check or in the
// engine into a Panic verdict naming where it happened, so a sweep reports the
// seed instead of dying with it. Effects of a handler that panicked are never
// applied. A panic in the trace sink belongs to the caller that installed it
// (a shrinker aborting a long candidate) and goes on up.
func (w *World) recoverPanic() {
	r := recover()
	if r == nil {
		return
	}
	if w.inSink {
		w.inSink = false
		panic(r)
	}
	where := "engine"
	switch {
	case w.checking != "":
		where = "property " + w.checking
	case w.running == runningEngine:
	case w.running == External:
		where = "action"
	default:
		where = w.Name(w.running)
	}
	w.running, w.checking = runningEngine, ""
	w.stack = string(debug.Stack())
	w.fail(VerdictPanic, "panic", fmt.Sprintf("%s: %v", where, r))
}

func (w *World) process(e *event) {
	switch e.kind {
	case evAction:
		if e.action.label != "" {
			w.emit(traces.KindFault, External, External, e.action.label, nil)
		}
		w.current, w.running = External, External
		e.action.fn(w)
		w.running = runningEngine
		return
	}
	n := w.nodes[e.node]
	if !n.up {
		if e.kind == evDeliver {
			w.drop(e.from, e.node, e.msg, "receiver down")
		}
		return // timers and starts of a crashed incarnation die with it
	}
	if e.kind != evDeliver && e.inc != n.incarnation {
		return
	}
	// A paused box defers before the Start check below: a box paused before its
	// Start ran has its Start deferred too, and re-queueing its events at this
	// instant would loop until the pause ends, which virtual time never reaches.
	if b := w.boxes[n.box]; b.paused {
		assert.That(len(b.deferred) < w.limits.DeferredMax, "box %s: more than %d deferred events", b.name, w.limits.DeferredMax)
		b.deferred = append(b.deferred, deferred{at: w.now, ev: *e})
		return
	}
	if n.agent == nil && e.kind != evStart && w.now < n.startAt {
		if e.kind == evDeliver { // before its first Start: nobody is listening
			w.drop(e.from, e.node, e.msg, "not started")
		}
		return
	}
	if n.agent == nil && e.kind != evStart {
		// The box restarted at this instant and its Start is queued behind this
		// event: hand the event over after Start, as a socket buffer would.
		w.requeued++
		if w.requeued > requeuedPerInstantMax {
			assert.Fail("%s: %d events re-queued at %v waiting for a Start that never runs", n.name, w.requeued, w.now)
		}
		w.schedule(w.now, *e)
		return
	}
	switch e.kind {
	case evStart:
		w.stats.Starts++
		n.started = true
		w.emit(traces.KindStart, e.node, External, "", nil)
		n.agent.Start(w.begin(n))
		w.end(n)
	case evDeliver:
		w.stats.Delivered++
		w.emitMessage(traces.KindRecv, e.node, e.from, e.msgID, e.sentAt, e.msg, "")
		n.agent.Receive(w.begin(n), e.from, e.msg)
		w.end(n)
	case evTimer:
		slot := &n.timers[e.slot]
		if !slot.armed || slot.gen != e.gen {
			return // cancelled or replaced
		}
		slot.armed = false
		w.stats.Timers++
		w.emit(traces.KindTimer, e.node, External, slot.name, nil)
		n.agent.Timer(w.begin(n), slot.name)
		w.end(n)
	}
}

// begin prepares the context for one handler call of n (building the agent at
// the Start of a new incarnation).
func (w *World) begin(n *node) *Context {
	ctx := &w.ctx
	ctx.self = n.id
	ctx.effects = ctx.effects[:0]
	w.current, w.running = n.id, n.id
	if len(w.trans) > 0 {
		w.observeBefore(n)
	}
	if n.agent == nil {
		n.agent = n.spec.New()
	}
	return ctx
}

// end applies the effects of the handler that returned, in call order.
func (w *World) end(n *node) {
	w.running = runningEngine
	w.summarize(n)
	ctx := &w.ctx
	for i := range ctx.effects {
		w.apply(n, &ctx.effects[i])
	}
	for i := range ctx.effects {
		ctx.effects[i].msg = nil // drop references to messages
	}
	if len(w.trans) > 0 {
		w.judgeStep(n)
	}
}

func (w *World) apply(n *node, e *effect) {
	switch e.kind {
	case effectSend:
		w.send(n.id, e.to, e.msg)
	case effectSetTimer:
		index := w.timerSlot(n, e.name)
		slot := &n.timers[index]
		slot.gen++
		slot.armed = true
		after := e.after
		if n.driftPPM != 0 {
			after = Time(int64(after) * ppm / (ppm + n.driftPPM))
		}
		slot.at = w.now + after
		w.schedule(slot.at, event{kind: evTimer, node: n.id, inc: n.incarnation, gen: slot.gen, slot: int32(index)})
	case effectCancelTimer:
		for i := range n.timers {
			if n.timers[i].name == e.name {
				n.timers[i].armed = false
				n.timers[i].gen++
			}
		}
	}
}

func (w *World) timerSlot(n *node, name string) int {
	for i := range n.timers {
		if n.timers[i].name == name {
			return i
		}
	}
	assert.That(len(n.timers) < w.limits.TimersMax, "%s: more than %d timer names", n.name, w.limits.TimersMax)
	n.timers = append(n.timers, timerSlot{name: name})
	return len(n.timers) - 1
}

// TimerArmed reports whether an agent's named timer is armed, and when it fires.
func (w *World) TimerArmed(id NodeID, name string) (Time, bool) {
	for _, t := range w.nodes[id].timers {
		if t.name == name && t.armed {
			return t.at, true
		}
	}
	return 0, false
}

func (w *World) send(from, to NodeID, msg Message) {
	w.stats.Sent++
	w.msgSeq++
	id := w.msgSeq
	at, count, why := w.route(from, to)
	if count == 0 {
		w.drop(from, to, msg, why)
		return
	}
	for i := 0; i < count; i++ {
		w.schedule(at[i], event{kind: evDeliver, node: to, from: from, msg: msg, msgID: id, sentAt: w.now})
	}
}

func (w *World) drop(from, to NodeID, msg Message, why string) {
	w.stats.Dropped++
	w.emitMessage(traces.KindDrop, to, from, 0, w.now, msg, why)
}

func (w *World) note(id NodeID, text string) {
	w.emit(traces.KindNote, id, External, "", text)
}

// typeName caches a message type's name and its hash. A type whose values
// name themselves (TypeNamer) is cached as dynamic: its name is asked per message.
type typeName struct {
	name    string
	hash    uint64
	dynamic bool
}

// typeOf is TypeName with a cache per Go type, so that hashing an event neither
// allocates nor hashes the name again.
func (w *World) typeOf(msg Message) typeName {
	t := reflect.TypeOf(msg)
	tn, ok := w.lastName, t == w.lastType && t != nil
	if !ok {
		if tn, ok = w.types[t]; !ok {
			_, dynamic := msg.(TypeNamer)
			name := goTypeName(t)
			tn = typeName{name: name, hash: hashString(fnvOffset, name), dynamic: dynamic}
			w.types[t] = tn
		}
		w.lastType, w.lastName = t, tn
	}
	if tn.dynamic {
		name := msg.(TypeNamer).TypeName()
		return typeName{name: name, hash: hashString(fnvOffset, name)}
	}
	return tn
}
