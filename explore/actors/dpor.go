package actors

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/orrery-sim/orrery/explore"
	"github.com/orrery-sim/orrery/internal/memlimit"
	"github.com/orrery-sim/orrery/property"
	"github.com/orrery-sim/orrery/sim"
)

// Stateless search with dynamic partial-order reduction: source-DPOR with
// sleep sets (Abdulla, Aronis, Jonsson, Sagonas, "Optimal Dynamic Partial
// Order Reduction", POPL 2014, Algorithm 1). It stores no states: it runs
// one execution to its end (no enabled step, the depth bound, or a state
// outside the bounds), keeping only the states along it, computes the
// happens-before relation of its events (dpor_events.go), and for each race
// (two conflicting events e < e' where e' does not depend on e through
// other events, so e' could have come first) schedules at the state before e
// a step that starts the reversed race, unless one already is; then it
// backtracks. Sleep sets keep it from taking a step whose traces were all
// explored from an equivalent state. It explores at least one execution of
// every Mazurkiewicz trace (every class of executions equal up to swapping
// adjacent events that commute), and each completed one of a different
// trace; the redundant work is the executions it abandons because every
// enabled step is asleep.
//
// Two additions keep it sound here. A step that disables another (cancels
// a timer, consumes the copy a drop could take, crashes its agent, takes
// the last client request, leaves the bounds) conflicts with it, though the
// disabled step never runs to show a race: it is scheduled before the
// disabling one (reverseDisabled). And the depth bound ends executions
// before they are maximal, so a step still enabled at the bound races with
// each last event of the execution: a trace of the same length has it in
// that event's place (reverseAtDepth).
//
// Invariants judge global states, and an execution passes through only some
// of the states of its trace: a state of the trace is any consistent cut (a
// set of its events closed under happens-before), reached by running those
// events alone. So the search judges every cut of every trace it explores,
// as Cooper and Marzullo detect "possibly" predicates on a distributed
// computation (dpor_cuts.go): each state reachable within the bounds is a
// cut of some explored trace, and each cut is judged once per node of the
// exploration tree that adds its last event. Terminal states are ends of
// executions, and equivalent executions end in the same state.

// DPOROptions configure Model.DPOR.
type DPOROptions struct {
	// DepthMax bounds the states of an execution, the initial one counted
	// (explore.Options.DepthMax); 0: the model's default, which must exist.
	// Equivalent executions have the same length, so the bound cuts whole
	// traces.
	DepthMax int
	// StatesMax stops the search after this many states along executions
	// (repeats counted: nothing is stored); 0: no limit.
	StatesMax int64
	// Deadlock reports a state within the bounds and below the depth bound
	// with no enabled step.
	Deadlock bool
	// MemoryMax stops the search (limit "memory") once the process holds
	// this many bytes; 0: no bound.
	MemoryMax uint64
	// Progress, when set, receives a line every ProgressEvery (default 5 s).
	Progress      io.Writer
	ProgressEvery time.Duration

	// Tests: visit sees every state judged; keepGoing records violations
	// and goes on; ended sees the events of every execution run to its end;
	// visitPath sees every state judged with the choices of its path.
	visit     func(State)
	keepGoing bool
	ended     func([]event)
	visitPath func(State, []int)
}

// DPORResult reports a stateless search: its verdicts as explore.Result
// (Strategy "dpor"; States counts the states along executions, repeats
// included, and Generated the steps taken), and its own counts.
type DPORResult struct {
	explore.Result
	// Executions counts the executions run to their end: one per
	// Mazurkiewicz trace explored, no two of the same trace.
	Executions int64 `json:"executions"`
	// Blocked counts executions abandoned because every enabled step was
	// asleep: source-DPOR's redundant work (optimal DPOR has none).
	Blocked int64 `json:"sleep_blocked"`
	// Events counts the steps taken (handlers run).
	Events int64 `json:"events"`
	// Cuts counts the states judged that are cuts of a trace rather than
	// states along the explored execution.
	Cuts int64 `json:"cut_states"`
	// Fallbacks counts races whose reversal no enabled step could start,
	// where every enabled step was scheduled instead (none expected).
	Fallbacks int64 `json:"fallbacks"`
}

// dporFrame is one state of the current execution.
type dporFrame struct {
	state    State
	actions  []Action // enabled; none when the state is not expanded
	keys     []uint64 // their ActionKeys
	expanded bool
	// backtrack holds the keys scheduled from here, done those taken, and
	// sleep the moves asleep here.
	backtrack, done []uint64
	sleep           []*event
	ev              event // the step into this state (none for the first)
}

// dpor is one stateless search.
type dpor struct {
	m       *Model
	o       DPOROptions
	props   []explore.Property[State]
	initial []uint64
	stack   []dporFrame
	events  []event // events[j] is the step into stack[j]; [0] unused

	result    DPORResult
	outcomes  []explore.PropertyOutcome
	status    explore.Status
	limit     string
	depthCut  bool
	memory    uint64
	nextPoll  int64
	start     time.Time
	nextPrint time.Time
}

// dporPollEvery spaces out polls of the context, the memory and the clock.
const dporPollEvery = 1 << 10

// ErrDPORDepth is returned by DPOR without a depth bound: a search that
// stores no states would run around a cycle of states forever.
var ErrDPORDepth = errors.New("the stateless search (dpor) needs a depth bound")

// DPOR explores m without storing states (see above) and reports what it
// found; like explore.Check it stops at the first violated invariant, with
// the path that reaches it.
func (m *Model) DPOR(ctx context.Context, o DPOROptions) (DPORResult, error) {
	if o.DepthMax == 0 {
		o.DepthMax = m.cfg.DepthMax
	}
	if o.DepthMax <= 0 {
		return DPORResult{}, ErrDPORDepth
	}
	d := &dpor{m: m, o: o, props: m.Properties(), start: time.Now()}
	d.nextPrint = d.start.Add(d.progressEvery())
	base := memlimit.InUse()
	d.memory = base
	d.outcomes = make([]explore.PropertyOutcome, len(d.props))
	for i, p := range d.props {
		d.outcomes[i] = explore.PropertyOutcome{Name: p.Name, Expect: p.Kind.String(), Verdict: explore.VerdictUnknown}
	}
	init := m.InitStates()[0]
	d.initial = m.initialProduced(init)
	d.events = append(d.events, event{})
	if d.push(init, nil) {
		d.search(ctx)
	}
	return d.finish(time.Since(d.start)), nil
}

func (d *dpor) progressEvery() time.Duration {
	if d.o.ProgressEvery > 0 {
		return max(d.o.ProgressEvery, 10*time.Millisecond)
	}
	return 5 * time.Second
}

// push adds the state s, reached by the last of d.events (none for the
// initial state), judges it and the cuts it completes, and schedules its
// first step; it reports false when the search must stop.
func (d *dpor) push(s State, sleep []*event) bool {
	j := len(d.stack)
	d.stack = append(d.stack, dporFrame{state: s, sleep: sleep})
	f := &d.stack[j]
	if j > 0 {
		f.ev = d.events[j]
	}
	d.result.States++
	d.result.Depth = max(d.result.Depth, j+1)
	if !d.judge(s, j, nil) || !d.judgeCuts(j) {
		return false
	}
	f.expanded = d.m.WithinBounds(s)
	depthLeaf := f.expanded && j+1 >= d.o.DepthMax
	if depthLeaf {
		f.expanded, d.depthCut = false, true
	}
	if f.expanded || depthLeaf {
		f.actions = d.m.Actions(s, nil)
		for _, a := range f.actions {
			f.keys = append(f.keys, d.m.ActionKey(a))
		}
	}
	if j > 0 {
		d.reverseDisabled(j, f.expanded || depthLeaf)
	}
	if d.o.ended != nil && (!f.expanded || len(f.actions) == 0) {
		d.o.ended(d.events[1:])
	}
	switch {
	case !f.expanded:
		d.result.Executions++
		if depthLeaf {
			d.reverseAtDepth(j)
		}
	case len(f.actions) == 0:
		d.result.Executions++
		if d.o.Deadlock {
			d.fail(explore.DeadlockProperty, d.path(j, nil))
			return d.o.keepGoing
		}
	default:
		for i, key := range f.keys {
			if !asleep(f.sleep, key) {
				f.backtrack = append(f.backtrack, f.keys[i])
				return true
			}
		}
		d.result.Blocked++
	}
	return true
}

func asleep(sleep []*event, key uint64) bool {
	return slices.ContainsFunc(sleep, func(e *event) bool { return e.key == key })
}

// search runs the exploration loop: take the next scheduled step from the
// deepest state that has one, or backtrack.
func (d *dpor) search(ctx context.Context) {
	for len(d.stack) > 0 && d.status == "" {
		if (d.result.Events >= d.nextPoll || ctx.Err() != nil) && d.poll(ctx) {
			return // the timeout is polled every step (an atomic load), the rest every dporPollEvery events
		}
		top := len(d.stack) - 1
		f := &d.stack[top]
		i := d.nextStep(f)
		if i < 0 {
			d.stack = d.stack[:top]
			d.events = d.events[:top]
			continue
		}
		d.step(top, i)
	}
}

// nextStep returns the index of the next scheduled step of f that is
// neither taken nor asleep, -1 if none.
func (d *dpor) nextStep(f *dporFrame) int {
	for _, key := range f.backtrack {
		if slices.Contains(f.done, key) || asleep(f.sleep, key) {
			continue
		}
		return slices.Index(f.keys, key)
	}
	return -1
}

// step takes the i-th enabled step of stack[top], links its event, plans the
// reversals of its races and pushes the state it reaches with its sleep set.
func (d *dpor) step(top, i int) {
	f := &d.stack[top]
	a := f.actions[i]
	f.done = append(f.done, f.keys[i])
	next, _ := d.m.NextState(f.state, a)
	d.result.Events++
	d.events = append(d.events, d.m.newEvent(f.state, a, i, next))
	j := len(d.events) - 1
	d.m.link(d.events, j, d.initial)
	ev := &d.events[j]
	d.reverseRaces(j)
	f = &d.stack[top]
	var sleep []*event
	for _, q := range f.sleep {
		if d.m.asleepStill(f.state, q, ev) {
			sleep = append(sleep, q)
		}
	}
	childExpands := !ev.cut && j+1 < d.o.DepthMax
	if childExpands {
		taken := *ev
		taken.pred, taken.sent, taken.produces = nil, nil, nil
		f.sleep = append(slices.Clip(f.sleep), &taken)
	}
	d.push(next, sleep)
}

// reverseRaces finds the races of event j with earlier events and schedules
// their reversals (Algorithm 1, lines 5-9): for a race e_i, e_j, the
// sequence v of the events after e_i that do not depend on it, then e_j,
// could run from the state before e_i; one of v's initials (its events with
// no predecessor in v) must be scheduled there.
func (d *dpor) reverseRaces(j int) {
	ev := &d.events[j]
	var indirect eventSet
	for k := 1; k < j; k++ {
		if ev.pred.has(k) {
			indirect.union(d.events[k].pred)
		}
	}
	for i := 1; i < j; i++ {
		if !ev.pred.has(i) || indirect.has(i) || i == ev.producer || !d.m.conflict(&d.events[i], ev) {
			continue
		}
		if !d.reversible(i, ev) {
			continue
		}
		var v eventSet
		for k := i + 1; k < j; k++ {
			if !d.events[k].pred.has(i) {
				v.add(k)
			}
		}
		v.add(j)
		d.schedule(i-1, v)
	}
}

// reversible reports whether ev could have been taken before event i, as
// far as its own agent tells: not a firing of a timer or a request that the
// agent had not enabled then (both are enabled by the agent's state alone,
// which only e_i and earlier steps there set), nor a step of an agent that
// e_i restarted, nor a delivery or drop of the same message key as e_i (on
// a FIFO link the next message must wait for this one; elsewhere the two
// copies are one message, and swapping them changes nothing).
func (d *dpor) reversible(i int, ev *event) bool {
	e := &d.events[i]
	if ev.consumes != 0 && ev.consumes == e.consumes {
		return false
	}
	if e.kind == Restart && ev.node >= 0 && slices.Contains(d.m.boxes[e.box].agents, sim.NodeID(ev.node)) {
		return false // its agent was down before
	}
	own := ev.kind == Fire || ev.kind == Request // enabled by its agent's state alone
	return !own || ev.node != e.node || slices.Contains(d.stack[i-1].keys, ev.key)
}

// reverseDisabled schedules, before event j, the steps it disabled (a timer
// it cancelled, a copy it consumed that a drop could have taken, the steps of
// agents it crashed, the other takers of the last client request; when it
// left the bounds, every other step): each conflicts with it and could have
// come first. Steps are enabled by their own agent's state, so only a
// conflicting step disables one. listed says whether stack[j] lists its
// enabled steps (expanded, or cut by the depth bound only).
func (d *dpor) reverseDisabled(j int, listed bool) {
	before, after := &d.stack[j-1], &d.stack[j]
	if listed || after.ev.cut {
		for _, key := range before.keys {
			if key != after.ev.key && !slices.Contains(after.keys, key) && !slices.Contains(before.backtrack, key) {
				before.backtrack = append(before.backtrack, key)
			}
		}
	}
}

// reverseAtDepth handles an execution cut by the depth bound at stack[j]:
// each step x still enabled there would be a trace of the same length with
// x in place of one of the last events (an event nothing follows on the
// execution), unless that event enabled x: the bound makes x race with each
// of them, whether or not they conflict. x is not taken (it would pass the
// bound), so what it depends on is over-approximated (pendingEvent): that
// can only keep x from counting as an initial of a reversal, and another
// initial of the same reversal does as well.
func (d *dpor) reverseAtDepth(j int) {
	f := &d.stack[j]
	actions := f.actions
	var inner eventSet
	for k := 1; k <= j; k++ {
		inner.union(d.events[k].pred)
	}
	for index, a := range actions {
		d.events = append(d.events, d.m.pendingEvent(f.state, a, index))
		x := len(d.events) - 1
		d.m.link(d.events, x, d.initial)
		ev := &d.events[x]
		for i := 1; i <= j; i++ {
			if inner.has(i) || i == ev.producer || !d.reversible(i, ev) {
				continue
			}
			var v eventSet
			for k := i + 1; k <= x; k++ {
				v.add(k)
			}
			d.schedule(i-1, v)
		}
		d.events = d.events[:x]
	}
}

// schedule makes sure stack[at] schedules an initial of the events v.
func (d *dpor) schedule(at int, v eventSet) {
	f := &d.stack[at]
	var initials []uint64
	for k := range len(d.events) {
		if v.has(k) && !d.events[k].pred.intersects(v) {
			initials = append(initials, d.events[k].key)
		}
	}
	for _, key := range initials {
		if slices.Contains(f.backtrack, key) {
			return
		}
	}
	for _, key := range initials {
		if slices.Contains(f.keys, key) {
			f.backtrack = append(f.backtrack, key)
			return
		}
	}
	d.result.Fallbacks++
	for _, key := range f.keys {
		if !slices.Contains(f.backtrack, key) {
			f.backtrack = append(f.backtrack, key)
		}
	}
}

// judge evaluates the properties on s, the state after the events of cut
// (nil: the execution's prefix up to stack[j]); it reports false when the
// search must stop.
func (d *dpor) judge(s State, j int, cut eventSet) bool {
	if d.o.visit != nil {
		d.o.visit(s)
	}
	if d.o.visitPath != nil {
		d.o.visitPath(s, d.path(j, cut).Choices)
	}
	for i, p := range d.props {
		o := &d.outcomes[i]
		if p.Kind == property.Sometimes && o.Verdict == explore.VerdictWitnessed {
			continue
		}
		holds := p.Condition(s)
		switch {
		case p.Kind == property.Always && !holds && o.Verdict == explore.VerdictUnknown:
			c := d.path(j, cut)
			o.Verdict, o.Path = explore.VerdictViolated, c.Steps
			d.fail(p.Name, c)
		case p.Kind == property.Sometimes && holds:
			o.Verdict = explore.VerdictWitnessed
			o.Path = d.path(j, cut).Steps
		}
	}
	return d.status == "" || d.o.keepGoing
}

func (d *dpor) fail(name string, c *explore.Counterexample) {
	if d.o.keepGoing {
		return
	}
	d.status = explore.StatusViolated
	if d.result.Counterexample == nil {
		c.Property = name
		d.result.Counterexample = c
	}
}

// poll checks the context, the memory bound and the states limit, and prints
// progress; it reports true when the search must stop.
func (d *dpor) poll(ctx context.Context) bool {
	d.nextPoll = d.result.Events + dporPollEvery
	d.memory = max(d.memory, memlimit.InUse())
	stop := ""
	switch {
	case ctx.Err() != nil:
		stop = "timeout"
	case d.o.MemoryMax > 0 && d.memory >= d.o.MemoryMax:
		stop = "memory"
	case d.o.StatesMax > 0 && d.result.States >= d.o.StatesMax:
		stop = "states"
	}
	if now := time.Now(); d.o.Progress != nil && now.After(d.nextPrint) {
		d.nextPrint = now.Add(d.progressEvery())
		elapsed := now.Sub(d.start).Seconds()
		fmt.Fprintf(d.o.Progress, "dpor %s: %.0fs executions=%d blocked=%d events=%d cut-states=%d events/s=%.0f\n",
			d.m.Name(), elapsed, d.result.Executions, d.result.Blocked, d.result.Events, d.result.Cuts, float64(d.result.Events)/elapsed)
	}
	if stop != "" {
		d.status, d.limit = explore.StatusLimit, stop
		return true
	}
	return false
}

// finish settles the verdicts as explore.Check does: a complete search
// proves invariants and fails unwitnessed reachability goals.
func (d *dpor) finish(elapsed time.Duration) DPORResult {
	if d.status == "" && d.depthCut {
		d.status, d.limit = explore.StatusLimit, "depth"
	}
	complete := d.status == ""
	for i := range d.outcomes {
		o := &d.outcomes[i]
		if o.Verdict != explore.VerdictUnknown || !complete {
			continue
		}
		if d.props[i].Kind == property.Always {
			o.Verdict = explore.VerdictHolds
		} else {
			o.Verdict = explore.VerdictUnwitnessed
			d.status = explore.StatusViolated
		}
	}
	if d.status == "" {
		d.status = explore.StatusComplete
	}
	r := &d.result.Result
	r.Model, r.Strategy, r.Workers = d.m.Name(), "dpor", 1
	r.Generated, r.Status, r.Limit = d.result.Events, d.status, d.limit
	r.Seconds, r.Properties = elapsed.Seconds(), d.outcomes
	if r.Seconds > 0 {
		r.StatesPerSec = float64(r.States) / r.Seconds
	}
	d.memory = max(d.memory, memlimit.InUse())
	r.PeakHeapBytes = int64(d.memory)
	return d.result
}
