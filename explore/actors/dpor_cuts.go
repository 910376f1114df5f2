package actors

import (
	"slices"

	"github.com/orrery-sim/orrery/explore"
	"github.com/orrery-sim/orrery/internal/assert"
	"github.com/orrery-sim/orrery/sim"
)

// The states of a trace that its explored execution does not pass through
// (see dpor.go). A cut is a set of events closed under happens-before; the
// state after it is composed from the states along the execution: each
// agent's part as the last event of the cut at that agent left it (events at
// other agents do not touch it), the history and the request count as the
// last such event of the cut left them (those events are ordered among
// themselves), everything as the last global event left it (every earlier
// event happens before it), and the messages in flight as the initial ones
// plus what the cut's events sent less what they consumed.

// judgeCuts judges the states after every cut whose last event is j, other
// than the execution's own state there; it reports false when the search
// must stop. Cuts whose events all come before j were judged when their
// last event was added, so each cut of the exploration tree is judged once
// per tree node that ends it.
func (d *dpor) judgeCuts(j int) bool {
	if j == 0 || (d.o.visit == nil && !d.m.judgesWorld()) {
		return true
	}
	cut := slices.Clone(d.events[j].pred)
	cut.add(j)
	var free []int
	for k := 1; k < j; k++ {
		if !cut.has(k) {
			free = append(free, k)
		}
	}
	if len(free) == 0 {
		return true
	}
	return d.enumerate(j, cut, free)
}

// enumerate extends cut by each choice of the events free (in increasing
// order, an event only with all its predecessors) and judges the results.
func (d *dpor) enumerate(j int, cut eventSet, free []int) bool {
	if len(free) == 0 {
		if cut.len() == j {
			return true // the execution's own state, judged already
		}
		d.result.Cuts++
		return d.judge(d.compose(cut, j), j, cut)
	}
	k := free[0]
	if !d.enumerate(j, cut, free[1:]) {
		return false
	}
	if !d.events[k].pred.subsetOf(cut) {
		return true
	}
	cut.add(k)
	ok := d.enumerate(j, cut, free[1:])
	cut[k/64] &^= 1 << (k % 64)
	return ok
}

// judgesWorld reports whether the model has properties of global states
// beyond the panic and transition checks (which judge one step, and every
// step is on an explored execution).
func (m *Model) judgesWorld() bool {
	return slices.ContainsFunc(m.props, func(p sim.Property) bool { return p.Kind == sim.Always || p.Kind == sim.Sometimes })
}

// compose returns the state after the events of cut, all at most j. The
// properties do not look at the messages in flight, so it composes them
// only for a test that looks at whole states.
func (d *dpor) compose(cut eventSet, j int) State {
	withNet := d.o.visit != nil || d.o.visitPath != nil
	first := d.stack[0].state
	s := State{nodes: slices.Clone(first.nodes), net: first.net, history: first.history,
		issued: first.issued, crashes: first.crashes, now: first.now}
	for k := 1; k <= j; k++ {
		if !cut.has(k) {
			continue
		}
		ev, after := &d.events[k], &d.stack[k].state
		if ev.global {
			copy(s.nodes, after.nodes)
			s.history, s.issued, s.crashes, s.now = after.history, after.issued, after.crashes, after.now
		} else {
			s.nodes[ev.node] = after.nodes[ev.node]
			if ev.history {
				s.history = after.history
			}
			if ev.kind == Request {
				s.issued = after.issued
			}
		}
		if !withNet {
			continue
		}
		if ev.taken != nil {
			i := slices.Index(s.net, ev.taken)
			assert.That(i >= 0, "actors: a cut consumes a message it did not send")
			s.net = removeAt(s.net, i)
		}
		for _, e := range ev.sent {
			s.net = d.m.insert(s.net, e)
		}
	}
	return s
}

// path renders the path to the state after cut (nil: the execution up to
// stack[j]) as a counterexample: the cut's events in execution order, which
// is an execution of them alone.
func (d *dpor) path(j int, cut eventSet) *explore.Counterexample {
	c := &explore.Counterexample{}
	s := d.stack[0].state
	c.Steps = append(c.Steps, explore.Step{State: d.m.DescribeState(s)})
	c.Choices = append(c.Choices, 0)
	var actions []Action
	for k := 1; k <= j; k++ {
		if cut != nil && !cut.has(k) {
			continue
		}
		index := d.events[k].index
		if cut == nil {
			actions = d.stack[k-1].actions
			s = d.stack[k].state
		} else {
			actions = d.m.Actions(s, actions[:0])
			index = slices.IndexFunc(actions, func(a Action) bool { return d.m.ActionKey(a) == d.events[k].key })
			assert.That(index >= 0, "actors: a cut's event is not enabled in its order")
			s, _ = d.m.NextState(s, actions[index])
		}
		c.Steps = append(c.Steps, explore.Step{Action: d.m.DescribeAction(actions[index]), State: d.m.DescribeState(s)})
		c.Choices = append(c.Choices, index)
	}
	return c
}
