package raftsafety

import (
	"errors"
	"fmt"

	"github.com/orrery-sim/orrery/internal/assert"
	"github.com/orrery-sim/orrery/sim"
)

// Property names, as reported in verdicts.
const (
	ElectionSafety     = "election-safety"
	OneVotePerTerm     = "one-vote-per-term"
	LogMatching        = "log-matching"
	LeaderCompleteness = "leader-completeness"
	StateMachineSafety = "state-machine-safety"
	Monotonic          = "monotonic-term-commit"
	// LeaderElected is a sometimes property: a run in which no server ever
	// led exercised none of the above.
	LeaderElected = "leader-elected"
)

// Invariants lists the always properties, in the order Register adds them.
var Invariants = []string{ElectionSafety, OneVotePerTerm, LogMatching, LeaderCompleteness, StateMachineSafety, Monotonic}

// Checker watches one run. Build it with New, add its properties with
// Register; it is not safe for use by several worlds.
type Checker struct {
	servers []sim.NodeID
	index   []int // NodeID → position in servers, -1 for other agents
	viewOf  func(w *sim.World, id sim.NodeID) (View, bool)
	seq     uint64 // w.Events() when last updated
	errs    map[string]error
	w       *sim.World // the world of the update in progress, for names

	leaders   map[uint64]sim.NodeID   // term → its leader
	votes     []map[uint64]sim.NodeID // per server: term → the candidate it voted for
	stored    map[[2]uint64]logRecord // (index, term) → what an entry there holds
	committed map[uint64]commitRecord
	commitMax uint64 // highest index committed anywhere, with every index below it
	applied   map[uint64]appliedRecord
	last      []seen // per server
	sawLeader bool
}

type logRecord struct{ digest, prevTerm uint64 }

// commitRecord is an entry as first seen committed, by whom, and in which of
// their terms: the entry was committed in that term or earlier.
type commitRecord struct {
	term, digest uint64 // the entry's
	text         string // the entry, rendered (DescribeEntry)
	by           sim.NodeID
	byTerm       uint64
}

type appliedRecord struct {
	state uint64
	by    sim.NodeID
}

// seen is what the checker saw of a server after its last handler.
type seen struct {
	view                View // nil until the server first ran
	leader              bool
	term, commit, apply uint64
	lastIndex, lastTerm uint64 // the end of its log: what a vote request compares
}

// New returns a checker of the given servers (every server of the cluster:
// quorums are majorities of them). viewOf returns a server's view, ok false
// while the server is down.
func New(servers []sim.NodeID, viewOf func(w *sim.World, id sim.NodeID) (View, bool)) *Checker {
	assert.That(len(servers) > 0 && viewOf != nil, "raftsafety.New needs servers and a view function")
	c := &Checker{
		servers: servers, viewOf: viewOf, errs: map[string]error{}, leaders: map[uint64]sim.NodeID{},
		stored: map[[2]uint64]logRecord{}, committed: map[uint64]commitRecord{}, applied: map[uint64]appliedRecord{},
		votes: make([]map[uint64]sim.NodeID, len(servers)), last: make([]seen, len(servers)),
	}
	for i, id := range servers {
		assert.That(id >= 0, "server id %d", id)
		for int(id) >= len(c.index) {
			c.index = append(c.index, -1)
		}
		assert.That(c.index[id] < 0, "server %d listed twice", id)
		c.index[id] = i
	}
	return c
}

// Register adds the invariants (always) and LeaderElected (sometimes) to w.
func (c *Checker) Register(w *sim.World) {
	for _, p := range Invariants {
		w.AddProperty(sim.Property{Name: p, Kind: sim.Always, Check: func(w *sim.World) error { return c.Check(w, p) }})
	}
	w.AddProperty(sim.Property{Name: LeaderElected, Kind: sim.Sometimes, Check: func(w *sim.World) error {
		if c.update(w); !c.sawLeader {
			return errors.New("no leader yet")
		}
		return nil
	}})
}

// Check brings the checker up to date with w and returns the error of one
// property (nil while it holds). Register calls it; tests may too.
func (c *Checker) Check(w *sim.World, property string) error {
	c.update(w)
	return c.errs[property]
}

func (c *Checker) fail(property string, format string, args ...any) {
	if c.errs[property] == nil {
		c.errs[property] = fmt.Errorf(format, args...)
	}
}

func (c *Checker) name(id sim.NodeID) string { return c.w.Name(id) }

// update looks at the server whose handler ran last, once per event.
func (c *Checker) update(w *sim.World) {
	if w.Events() == c.seq {
		return
	}
	c.seq, c.w = w.Events(), w
	id := w.Current()
	if id < 0 || int(id) >= len(c.index) || c.index[id] < 0 {
		return
	}
	v, up := c.viewOf(w, id)
	if !up || v == nil {
		return
	}
	c.observe(id, c.index[id], v)
}

func (c *Checker) observe(id sim.NodeID, k int, v View) {
	s := &c.last[k]
	if s.view != v {
		// A new incarnation: its volatile state starts over from its snapshot.
		snap, _ := v.Snapshot()
		s.view, s.commit, s.apply, s.leader = v, snap, snap, false
	}
	term, leader := v.Term(), v.Leader()
	c.checkMonotonic(id, v, s)
	if leader {
		c.checkElection(id, term)
	}
	c.checkVote(id, k, v)
	c.checkLog(id, v)
	applied := v.AppliedNow()
	c.checkCommitted(id, v, term, applied)
	c.checkApplied(id, applied)
	if leader && (!s.leader || s.term != term) {
		c.checkLeaderCompleteness(id, v, term)
	}
	commitMax := c.commitMax
	for {
		if _, ok := c.committed[c.commitMax+1]; !ok {
			break
		}
		c.commitMax++
	}
	lastIndex, lastTerm := lastOf(v)
	logMoved := s.lastIndex != lastIndex || s.lastTerm != lastTerm
	s.leader, s.term, s.commit, s.apply = leader, term, v.Commit(), v.Applied()
	s.lastIndex, s.lastTerm = lastIndex, lastTerm
	if logMoved || commitMax != c.commitMax {
		c.checkElectable()
	}
}

// lastOf is the index and term of the end of a log.
func lastOf(v View) (index, term uint64) {
	index = v.LastIndex()
	return index, termAt(v, index)
}

// termAt is the term of the entry at i, 0 when the log does not hold it.
func termAt(v View, i uint64) uint64 {
	t, _ := v.TermAt(i)
	return t
}
