package actors

import (
	"cmp"
	"slices"
	"sync"

	"github.com/orrery-sim/orrery/internal/statehash"
	"github.com/orrery-sim/orrery/sim"
)

// State is one explored state. It is a value: successors share every part
// they do not change (agents, stores, timer lists, the in-flight list, the
// history), and nothing shared is ever modified.
type State struct {
	nodes   []*node      // interned (Model.internNode): equal parts are one object
	net     []*envelope  // interned too, in the network's canonical order
	history *sim.History // nil: empty
	issued  int          // client requests injected so far
	crashes int          // crashes so far
	now     sim.Time     // the clock (timed exploration, Config.TimeMax; else 0)
	panic   string       // what a handler panicked with on the way here
	broken  string       // "property: reason" of a transition property the last step broke
}

// node is one agent's part of a state.
type node struct {
	agent   sim.Agent // nil while its box is down
	storage *sim.Storage
	timers  []timer // armed, sorted by name
	fp      uint64  // fingerprint of the three above
	base    uint64  // fingerprint of all but the timers' deadlines
}

// timer is an armed timer. Under timed exploration (Config.TimeMax) it
// records when it was armed and for how long, by the state's clock; else
// both are 0: only the name matters.
type timer struct {
	name      string
	at, after sim.Time
}

func (t timer) deadline() sim.Time { return t.at + t.after }

// envelope is a message in flight. Its fingerprint covers sender, receiver
// and message; equal envelopes are interchangeable.
type envelope struct {
	from, to sim.NodeID
	msg      sim.Message
	fp       uint64
}

func newEnvelope(from, to sim.NodeID, msg sim.Message) envelope {
	var h statehash.Hasher
	h.WriteInt64(int64(from))
	h.WriteInt64(int64(to))
	statehash.Hash(&h, msg)
	return envelope{from: from, to: to, msg: msg, fp: h.Sum64()}
}

// newNode fingerprints an agent's part of a state. Timers' deadlines join
// the fingerprint as they are (as the state's clock does the state's), not
// relative to the clock: agents keep absolute clock readings in their own
// state (twopc's vote deadline), so two states whose clocks differ by a
// shift are not the same state anyway; TimeMax keeps the clock bounded.
// Untimed, only the timers' names are hashed. base leaves the deadlines
// out: the state's fingerprint hashes them against its clock (timerKey).
func newNode(agent sim.Agent, storage *sim.Storage, timers []timer, timed bool) node {
	var h statehash.Hasher
	h.WriteBool(agent != nil)
	if agent != nil {
		h.WriteUint64(sim.FingerprintAgent(agent))
	}
	storage.HashState(&h)
	h.WriteUint64(uint64(len(timers)))
	for _, t := range timers {
		h.WriteString(t.name)
	}
	base := h.Sum64()
	if !timed {
		return node{agent: agent, storage: storage, timers: timers, fp: base, base: base}
	}
	for _, t := range timers {
		h.WriteInt64(int64(t.deadline()))
	}
	return node{agent: agent, storage: storage, timers: timers, fp: h.Sum64(), base: base}
}

// timerKey is what a timer's deadline means in a state whose clock reads
// now, under timed exploration: a deadline that has passed counts as now
// (firing leaves the clock where it is, whatever the deadline was, and the
// clock never goes back), and one past TimeMax as -1 (it never fires).
// Agents never read their timers, so states that differ only within one of
// these classes behave alike; without this, every late firing's history
// multiplies the states (twopc's clean search with the clock stored 2.2
// times as many).
func (m *Model) timerKey(t timer, now sim.Time) sim.Time {
	switch d := t.deadline(); {
	case d <= now:
		return now
	case d > m.cfg.TimeMax:
		return -1
	default:
		return d
	}
}

func (s *State) historyOrEmpty() *sim.History {
	if s.history == nil {
		return &sim.History{}
	}
	return s.history
}

// Fingerprint implements explore.Model. The in-flight list is kept in a
// canonical order (see insert), so equal multisets hash equally.
func (m *Model) Fingerprint(s State) uint64 {
	var h statehash.Hasher
	for _, n := range s.nodes {
		if !m.timed() {
			h.WriteUint64(n.fp)
			continue
		}
		h.WriteUint64(n.base)
		for _, t := range n.timers {
			h.WriteInt64(int64(m.timerKey(t, s.now)))
		}
	}
	h.WriteUint64(uint64(len(s.net)))
	for _, e := range s.net {
		h.WriteUint64(e.fp)
	}
	if s.history != nil && len(s.history.Ops) > 0 {
		statehash.Hash(&h, s.history.Ops)
	}
	h.WriteUint64(uint64(s.issued))
	h.WriteUint64(uint64(s.crashes))
	if m.timed() {
		h.WriteInt64(int64(s.now))
	}
	h.WriteString(s.panic)
	if s.broken != "" {
		h.WriteString(s.broken)
	}
	return h.Sum64()
}

// insert adds e to the in-flight list net (never modifying net) in the
// network's canonical order: unordered lists sort by receiver, sender and
// fingerprint, so that a multiset has one representation; a duplicating
// network keeps one copy of each message; a FIFO list groups links by sender
// and receiver and keeps each link in send order.
func (m *Model) insert(net []*envelope, e *envelope) []*envelope {
	var i int
	switch m.cfg.Network {
	case FIFO:
		i = len(net)
		for i > 0 && linkOrder(net[i-1], e) > 0 {
			i--
		}
	default:
		var found bool
		i, found = slices.BinarySearchFunc(net, e, envelopeOrder)
		if found && m.cfg.Network == Duplicating {
			return net
		}
	}
	out := make([]*envelope, 0, len(net)+1)
	out = append(append(append(out, net[:i]...), e), net[i:]...)
	return out
}

func envelopeOrder(a, b *envelope) int {
	return cmp.Or(cmp.Compare(a.to, b.to), cmp.Compare(a.from, b.from), cmp.Compare(a.fp, b.fp))
}

func linkOrder(a, b *envelope) int {
	return cmp.Or(cmp.Compare(a.from, b.from), cmp.Compare(a.to, b.to))
}

func removeAt(net []*envelope, i int) []*envelope {
	out := make([]*envelope, 0, len(net)-1)
	return append(append(out, net[:i]...), net[i+1:]...)
}

// notFirst reports whether net[i] repeats net[i-1] (interchangeable
// copies in an unordered list) or, in FIFO order, is not the head of its link.
func (m *Model) notFirst(net []*envelope, i int) bool {
	if i == 0 {
		return false
	}
	if m.cfg.Network == FIFO {
		return linkOrder(net[i-1], net[i]) == 0
	}
	return envelopeOrder(net[i-1], net[i]) == 0
}

// internShards spreads the intern tables' locks.
const internShards = 64

// internTable hash-conses the parts of states: a part equal (by its
// fingerprint, as states are identified) to one seen before is replaced by
// that one, so the states of a search share one copy of each distinct agent
// state, store and message instead of one per state. Which of two equal
// copies survives does not matter: they are equal.
type internTable[T any] struct {
	shards [internShards]struct {
		mu sync.Mutex
		m  map[uint64]*T
	}
}

func (t *internTable[T]) intern(fp uint64, v *T) *T {
	sh := &t.shards[fp%internShards]
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if old, ok := sh.m[fp]; ok {
		return old
	}
	if sh.m == nil {
		sh.m = map[uint64]*T{}
	}
	sh.m[fp] = v
	return v
}

// size is the number of distinct parts interned.
func (t *internTable[T]) size() int {
	n := 0
	for i := range t.shards {
		sh := &t.shards[i]
		sh.mu.Lock()
		n += len(sh.m)
		sh.mu.Unlock()
	}
	return n
}

func (m *Model) internNode(n node) *node             { return m.nodeParts.intern(n.fp, &n) }
func (m *Model) internEnvelope(e envelope) *envelope { return m.envelopes.intern(e.fp, &e) }
