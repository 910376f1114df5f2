package actors

import (
	"math/bits"

	"github.com/orrery-sim/orrery/internal/assert"
	"github.com/orrery-sim/orrery/internal/statehash"
)

// The happens-before relation of the stateless search (dpor.go). An event is
// one step of an execution: a delivery, drop, firing or request at one agent,
// or a crash or restart of a box. Event k (1-based) happens before event j > k
// when they conflict or when j consumes something k produced, and
// transitively. Two events conflict when:
//   - they are at the same agent (a drop counts as its receiver's: both
//     consume copies of the receiver's messages);
//   - either is global: a crash or restart (it changes which agents are up
//     and the crash budget), a firing under timed exploration (it advances
//     the clock every handler reads), or any step when the configuration has
//     a global state constraint (Config.WithinBounds);
//   - both are client requests (the next request goes to whichever comes
//     first), or both invoke or complete client operations (the history
//     numbers operations in order; as for the sleep sets, an operation is
//     completed by one agent);
//   - with InFlightMax, their growths of the network (sends less the one
//     consumed) could put a state between them over the bound in the other
//     order: both non-zero, different, and one positive. Swapping any other
//     pair keeps every intermediate state within the bound, so every
//     linearization of the relation is an execution within bounds;
//   - the later one ends its execution by leaving the bounds (a panic, a
//     broken transition property, a bound): nothing follows it, so it must
//     stay last.
//
// What is consumed and produced: the k-th delivery or drop of a message key
// consumes the k-th copy sent (the key covers sender, receiver and message,
// or, on FIFO links, the link: either way one sender produces the copies and
// one receiver consumes them, each in its own order, so the matching is the
// same in every equivalent execution); on a duplicating network a delivery
// reads the first copy and consumes nothing. A crash consumes its box's
// "up" token and produces a "down" token, a restart the reverse, so a restart
// cannot be reordered before the crash that enabled it.

// event is what the search knows of one executed step.
type event struct {
	key      uint64 // Model.ActionKey: the step's identity across states
	index    int    // the action's index among those enabled where it was taken
	kind     ActionKind
	node     int  // the agent, -1 for a crash or restart
	box      int  // a crash's or restart's box
	global   bool // conflicts with every step
	history  bool // invoked or completed a client operation
	cut      bool // the state it reaches is not expanded (outside the bounds)
	growth   int64
	pending  bool   // not taken: history and growth are unknown, so assumed to conflict
	consumes uint64 // key of the message or token consumed, 0: none
	keeps    bool   // consumes reads the first copy and keeps it (duplicating network)
	produces []uint64
	// For composing states of cuts (dpor_cuts.go): the envelope consumed
	// (nil: none) and the envelopes sent, as the in-flight list records them.
	taken *envelope
	sent  []*envelope
	// producer is the index of the event whose output this one consumes (0:
	// the initial state or nothing); pred the events that happen before it.
	producer int
	pred     eventSet
}

// eventSet is a set of event indexes.
type eventSet []uint64

func (s eventSet) has(i int) bool { return i/64 < len(s) && s[i/64]&(1<<(i%64)) != 0 }

func (s *eventSet) add(i int) {
	for len(*s) <= i/64 {
		*s = append(*s, 0)
	}
	(*s)[i/64] |= 1 << (i % 64)
}

func (s *eventSet) union(o eventSet) {
	for len(*s) < len(o) {
		*s = append(*s, 0)
	}
	for i, w := range o {
		(*s)[i] |= w
	}
}

func (s eventSet) intersects(o eventSet) bool {
	for i := range min(len(s), len(o)) {
		if s[i]&o[i] != 0 {
			return true
		}
	}
	return false
}

// subsetOf reports whether every member of s is in o.
func (s eventSet) subsetOf(o eventSet) bool {
	for i, w := range s {
		var ow uint64
		if i < len(o) {
			ow = o[i]
		}
		if w&^ow != 0 {
			return false
		}
	}
	return true
}

func (s eventSet) len() int {
	n := 0
	for _, w := range s {
		n += bits.OnesCount64(w)
	}
	return n
}

// Tokens of a box's state, consumed and produced by crashes and restarts.
const (
	tokenUp   = 1
	tokenDown = 2
)

func boxToken(box, state int) uint64 {
	var h statehash.Hasher
	h.WriteString("box")
	h.WriteInt64(int64(box))
	h.WriteInt64(int64(state))
	return h.Sum64()
}

// messageKey is the key under which copies of e are matched to consumers.
func (m *Model) messageKey(e *envelope) uint64 {
	if m.cfg.Network != FIFO {
		return e.fp
	}
	var h statehash.Hasher
	h.WriteString("link")
	h.WriteInt64(int64(e.from))
	h.WriteInt64(int64(e.to))
	return h.Sum64()
}

// initialProduced lists the keys the initial state holds: its messages in
// flight and an "up" token per faultable box.
func (m *Model) initialProduced(s State) []uint64 {
	var out []uint64
	for _, e := range s.net {
		out = append(out, m.messageKey(e))
	}
	for i, b := range m.boxes {
		if b.faultable {
			out = append(out, boxToken(i, tokenUp))
		}
	}
	return out
}

// newEvent describes the step a, the index-th enabled action of s, which
// led to next.
func (m *Model) newEvent(s State, a Action, index int, next State) event {
	ev := event{key: m.ActionKey(a), index: index, kind: a.Kind, node: int(a.Node),
		history: next.history != s.history, growth: int64(len(next.net)) - int64(len(s.net)),
		cut: !m.WithinBounds(next)}
	rest := s.net
	switch a.Kind {
	case Deliver, Drop:
		env := s.net[a.Index]
		ev.consumes = m.messageKey(env)
		if a.Kind == Deliver && m.cfg.Network == Duplicating {
			ev.keeps = true
		} else {
			ev.taken, rest = env, removeAt(s.net, a.Index)
		}
	case Crash:
		ev.node, ev.box, ev.global = -1, a.Index, true
		ev.consumes = boxToken(a.Index, tokenUp)
		ev.produces = append(ev.produces, boxToken(a.Index, tokenDown))
	case Restart:
		ev.node, ev.box, ev.global = -1, a.Index, true
		ev.consumes = boxToken(a.Index, tokenDown)
		ev.produces = append(ev.produces, boxToken(a.Index, tokenUp))
	case Fire:
		ev.global = m.timed()
	}
	if m.cfg.WithinBounds != nil {
		ev.global = true
	}
	ev.sent = sentBy(rest, next.net)
	for _, e := range ev.sent {
		ev.produces = append(ev.produces, m.messageKey(e))
	}
	return ev
}

// pendingEvent describes the step a, the index-th enabled action of s,
// without taking it: what it consumes and where it runs are known, whether
// it touches the history and how it grows the network are not, and are
// assumed to conflict.
func (m *Model) pendingEvent(s State, a Action, index int) event {
	ev := event{key: m.ActionKey(a), index: index, kind: a.Kind, node: int(a.Node), history: a.Kind != Drop, pending: true,
		global: m.cfg.WithinBounds != nil || (a.Kind == Fire && m.timed())}
	switch a.Kind {
	case Deliver, Drop:
		ev.consumes = m.messageKey(s.net[a.Index])
		ev.keeps = a.Kind == Deliver && m.cfg.Network == Duplicating
	case Crash:
		ev.node, ev.box, ev.global = -1, a.Index, true
		ev.consumes = boxToken(a.Index, tokenUp)
	case Restart:
		ev.node, ev.box, ev.global = -1, a.Index, true
		ev.consumes = boxToken(a.Index, tokenDown)
	}
	return ev
}

// sentBy returns the envelopes of after that are not in before, a
// subsequence of it: the copies a step added to the in-flight list. Equal
// envelopes are one interned object, and the canonical order keeps what was
// in flight in its relative order (a FIFO link's new messages follow its old
// ones), so a greedy match finds them.
func sentBy(before, after []*envelope) []*envelope {
	var out []*envelope
	i := 0
	for _, e := range after {
		if i < len(before) && before[i] == e {
			i++
			continue
		}
		out = append(out, e)
	}
	return out
}

// conflict reports whether events a (earlier) and b do not commute (see
// above), causality aside.
func (m *Model) conflict(a, b *event) bool {
	switch {
	case b.cut, a.global, b.global, a.node == b.node:
		return true
	case a.kind == Request && b.kind == Request:
		return true
	case a.history && b.history:
		return true
	}
	if m.cfg.InFlightMax == 0 {
		return false
	}
	if a.pending || b.pending {
		return a.growth != 0 || b.growth != 0 || (a.pending && b.pending)
	}
	return growthConflict(a.growth, b.growth)
}

// growthConflict reports whether two steps with these growths of the
// network may be swapped only one way under a bound on messages in flight:
// from count c, a then b passes c+ga; b then a passes c+gb, which can
// exceed the bound only if gb > ga and gb > 0, and for a zero growth the
// other order passes a state the first order reaches too.
func growthConflict(ga, gb int64) bool {
	return ga != gb && ga != 0 && gb != 0 && (ga > 0 || gb > 0)
}

// asleepStill reports whether move q, asleep in s, stays asleep after step
// p: they commute, and taking both from s stays within the bound on
// messages in flight (each alone does: only moves into expanded states
// sleep).
func (m *Model) asleepStill(s State, q, p *event) bool {
	if q.global || p.global || q.node == p.node || (q.kind == Request && p.kind == Request) || (q.history && p.history) {
		return false
	}
	if m.cfg.InFlightMax == 0 {
		return true
	}
	return !growthConflict(q.growth, p.growth) && int64(len(s.net))+q.growth+p.growth <= int64(m.cfg.InFlightMax)
}

// link computes the producer and the happens-before predecessors of event
// events[j], the events before it being linked already; initial lists the
// keys the initial state produced (event 0).
func (m *Model) link(events []event, j int, initial []uint64) {
	ev := &events[j]
	ev.producer = 0
	if ev.consumes != 0 {
		ev.producer = producerOf(events[:j], ev.consumes, ev.keeps, initial)
	}
	ev.pred = ev.pred[:0]
	for k := 1; k < j; k++ {
		if k == ev.producer || m.conflict(&events[k], ev) {
			ev.pred.union(events[k].pred)
			ev.pred.add(k)
		}
	}
}

// producerOf finds the event that produced the copy of key the next
// consumer takes: the n-th copy for the n-th consumer (the first when the
// consumer keeps it), counting the initial state's copies first (event 0).
func producerOf(events []event, key uint64, keeps bool, initial []uint64) int {
	consumed := 0
	if !keeps {
		for k := 1; k < len(events); k++ {
			if events[k].consumes == key && !events[k].keeps {
				consumed++
			}
		}
	}
	seen := 0
	for _, p := range initial {
		if p == key {
			if seen == consumed {
				return 0
			}
			seen++
		}
	}
	for k := 1; k < len(events); k++ {
		for _, p := range events[k].produces {
			if p == key {
				if seen == consumed {
					return k
				}
				seen++
			}
		}
	}
	assert.That(false, "actors: a step consumed a copy no earlier step produced")
	return 0
}
