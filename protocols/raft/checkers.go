package raft

import (
	"errors"
	"fmt"

	"github.com/orrery-sim/orrery/sim"
)

// Property names, as reported in verdicts.
const (
	PropElectionSafety     = "election-safety"
	PropOneVote            = "one-vote-per-term"
	PropLogMatching        = "log-matching"
	PropLeaderCompleteness = "leader-completeness"
	PropStateMachineSafety = "state-machine-safety"
	PropMonotonic          = "monotonic-term-commit"
	PropLinearizable       = "linearizability"
	PropWriteAfterHeal     = "write-after-heal"
	PropLeaderElected      = "leader-elected"
)

var alwaysProps = []string{PropElectionSafety, PropOneVote, PropLogMatching, PropLeaderCompleteness, PropStateMachineSafety, PropMonotonic}

// tracker watches a run for the Raft invariants. It runs after every event but
// looks only at the server whose handler just ran (the only one that can have
// changed), and at that server only at what the handler touched: the log from
// its lowest changed index, the entries it newly committed, the states it
// applied. What it learns accumulates in run-wide records (leaders per term,
// every (index, term) ever stored, every committed entry, the state after
// every applied index) against which each change is checked.
type tracker struct {
	servers   int
	seq       uint64 // w.Events() when last updated
	errs      map[string]error
	leaders   map[uint64]sim.NodeID   // term → its leader
	votes     []map[uint64]sim.NodeID // per server: term → the candidate it voted for
	stored    map[[2]uint64]logRecord // (index, term) → what an entry there holds
	committed map[uint64]commitRecord
	commitMax uint64 // highest index committed anywhere
	applied   map[uint64]appliedRecord
	nodes     []nodeView
	sawLeader bool

	liveAt    sim.Time // when the liveness phase began
	liveFrom  int      // history ops before it
	liveWrite bool
}

type logRecord struct{ digest, prevTerm uint64 }

// commitRecord is an entry as first seen committed, by whom, and in which of
// their terms: the entry was committed in that term or earlier.
type commitRecord struct {
	entry Entry
	by    sim.NodeID
	term  uint64
}

type appliedRecord struct {
	hash uint64
	by   sim.NodeID
}

// nodeView is what the tracker saw of a server after its last handler.
type nodeView struct {
	agent               *node
	role                role
	term, commit, apply uint64
	lastIndex, lastTerm uint64 // the end of its log: what a vote request compares
}

func newTracker(servers int) *tracker {
	return &tracker{
		servers: servers, errs: map[string]error{}, leaders: map[uint64]sim.NodeID{},
		stored: map[[2]uint64]logRecord{}, committed: map[uint64]commitRecord{},
		applied: map[uint64]appliedRecord{}, nodes: make([]nodeView, servers),
		votes: make([]map[uint64]sim.NodeID, servers),
	}
}

func name(id sim.NodeID) string { return fmt.Sprintf("n%d", id+1) }

// check returns the error of one property after bringing the tracker up to date.
func (t *tracker) check(w *sim.World, prop string) error {
	if w.Events() != t.seq {
		t.seq = w.Events()
		t.update(w)
	}
	return t.errs[prop]
}

func (t *tracker) fail(prop string, format string, args ...any) {
	if t.errs[prop] == nil {
		t.errs[prop] = fmt.Errorf(format, args...)
	}
}

func (t *tracker) update(w *sim.World) {
	id := w.Current()
	if id < 0 || int(id) >= t.servers {
		return
	}
	a, _ := w.Agent(id).(*node)
	if a == nil {
		return
	}
	v := &t.nodes[id]
	restarted := v.agent != a
	if restarted {
		v.agent, v.commit, v.apply, v.role = a, a.log.snapIndex, a.log.snapIndex, roleFollower
	}
	t.checkMonotonic(id, a, v)
	t.checkElection(id, a)
	t.checkVote(id, a)
	t.checkLog(id, a)
	t.checkCommitted(id, a)
	t.checkApplied(id, a)
	if a.role == roleLeader && (v.role != roleLeader || v.term != a.term) {
		t.checkLeaderCompleteness(id, a)
	}
	commitMax := t.commitMax
	for t.committed[t.commitMax+1].entry.Index != 0 {
		t.commitMax++
	}
	logMoved := v.lastIndex != a.log.lastIndex() || v.lastTerm != a.log.lastTerm()
	v.role, v.term, v.commit, v.apply = a.role, a.term, a.commit, a.applied
	v.lastIndex, v.lastTerm = a.log.lastIndex(), a.log.lastTerm()
	if logMoved || commitMax != t.commitMax {
		t.checkElectable()
	}
}

// checkMonotonic: the term is durable, so it never decreases, not even across
// a restart. The commit and applied indexes are volatile: they never decrease
// while a server runs, and a restart resets them to the durable snapshot's
// index (update does that before this check).
func (t *tracker) checkMonotonic(id sim.NodeID, a *node, v *nodeView) {
	switch {
	case a.term < v.term:
		t.fail(PropMonotonic, "%s: term went back from %d to %d", name(id), v.term, a.term)
	case a.commit < v.commit:
		t.fail(PropMonotonic, "%s: commit index went back from %d to %d", name(id), v.commit, a.commit)
	case a.applied < v.apply:
		t.fail(PropMonotonic, "%s: applied index went back from %d to %d", name(id), v.apply, a.applied)
	}
}

func (t *tracker) checkElection(id sim.NodeID, a *node) {
	if a.role != roleLeader {
		return
	}
	t.sawLeader = true
	if l, ok := t.leaders[a.term]; ok && l != id {
		t.fail(PropElectionSafety, "two leaders in term %d: %s and %s", a.term, name(l), name(id))
		return
	}
	t.leaders[a.term] = id
}

// checkVote: a server votes for at most one candidate in a term, across
// restarts too; the vote is durable for exactly that reason.
func (t *tracker) checkVote(id sim.NodeID, a *node) {
	if a.vote == none {
		return
	}
	if t.votes[id] == nil {
		t.votes[id] = map[uint64]sim.NodeID{}
	}
	if v, ok := t.votes[id][a.term]; ok && v != a.vote {
		t.fail(PropOneVote, "%s voted for %s and then for %s in term %d", name(id), name(v), name(a.vote), a.term)
		return
	}
	t.votes[id][a.term] = a.vote
}

// checkLog checks every entry the handler wrote against what any log ever held
// at the same (index, term): the same command after the same previous term.
// By induction on the index that is the Log Matching property.
func (t *tracker) checkLog(id sim.NodeID, a *node) {
	if a.changedFrom == 0 {
		return
	}
	for i := max(a.changedFrom, a.log.firstIndex()); i <= a.log.lastIndex(); i++ {
		e := a.log.entry(i)
		prevTerm, _ := a.log.term(i - 1)
		rec := logRecord{digest: e.digest(), prevTerm: prevTerm}
		key := [2]uint64{i, e.Term}
		old, ok := t.stored[key]
		if !ok {
			t.stored[key] = rec
			continue
		}
		if old != rec {
			t.fail(PropLogMatching, "%s holds entry %s after term %d, but another log held a different entry %d/%d",
				name(id), e.Describe(), prevTerm, i, e.Term)
			return
		}
	}
}

// checkCommitted records the entries the server newly committed (it applies
// what it commits in the same handler); an index committed with two different
// entries breaks State Machine Safety.
func (t *tracker) checkCommitted(id sim.NodeID, a *node) {
	for _, m := range a.appliedNow {
		if m.snapshot {
			continue
		}
		e := m.entry
		old, ok := t.committed[e.Index]
		if !ok {
			t.committed[e.Index] = commitRecord{entry: e, by: id, term: a.term}
			continue
		}
		if old.entry.Term != e.Term || old.entry.digest() != e.digest() {
			t.fail(PropStateMachineSafety, "%s committed %s at index %d, but %s committed %s there",
				name(id), e.Describe(), e.Index, name(old.by), old.entry.Describe())
			return
		}
	}
}

// checkApplied compares the state machine after each index the server applied
// (or installed from a snapshot) with the state any other server had there.
func (t *tracker) checkApplied(id sim.NodeID, a *node) {
	for _, m := range a.appliedNow {
		old, ok := t.applied[m.index]
		if !ok {
			t.applied[m.index] = appliedRecord{hash: m.hash, by: id}
			continue
		}
		if old.hash != m.hash {
			t.fail(PropStateMachineSafety, "%s's state after applying index %d differs from %s's", name(id), m.index, name(old.by))
			return
		}
	}
}

// checkLeaderCompleteness: a new leader's log holds every entry committed in
// an earlier term (§5.4.3); those before its snapshot are in the snapshot. A
// leader of an older term, elected late (say it was paused mid-election), need
// not hold entries committed after its term.
func (t *tracker) checkLeaderCompleteness(id sim.NodeID, a *node) {
	for i := a.log.firstIndex(); ; i++ {
		c, ok := t.committed[i]
		if !ok {
			return
		}
		if c.term >= a.term {
			continue
		}
		if got, has := a.log.term(i); !has || got != c.entry.Term {
			t.fail(PropLeaderCompleteness, "%s leads term %d without entry %s, committed by %s",
				name(id), a.term, c.entry.Describe(), name(c.by))
			return
		}
	}
}

// checkElectable is Leader Completeness in the inductive form that holds in
// every state, not only when a leader is elected: a server whose log lacks a
// committed entry cannot gather a majority of servers whose logs its own is at
// least as up-to-date as (§5.4.1), so it can never win an election. A
// violation is a committed entry that a future leader may overwrite, found
// before any election has to happen (the first half of Figure 8).
func (t *tracker) checkElectable() {
	if t.commitMax == 0 {
		return
	}
	want := t.committed[t.commitMax].entry
	for s := range t.servers {
		// A crashed server counts too: it may restart and campaign. Its last
		// agent's log is its durable log, since every handler syncs.
		sv := &t.nodes[s]
		if sv.agent == nil || t.holds(sv.agent, want) {
			continue
		}
		var voters []string
		for i := range t.nodes {
			v := &t.nodes[i]
			if v.agent != nil && (sv.lastTerm > v.lastTerm || (sv.lastTerm == v.lastTerm && sv.lastIndex >= v.lastIndex)) {
				voters = append(voters, name(sim.NodeID(i)))
			}
		}
		if len(voters) >= len(t.nodes)/2+1 {
			t.fail(PropLeaderCompleteness, "%s lacks committed entry %s (committed by %s) but could win an election: its log (last %d/%d) is as up-to-date as those of %v",
				name(sim.NodeID(s)), want.Describe(), name(t.committed[t.commitMax].by), sv.lastIndex, sv.lastTerm, voters)
			return
		}
	}
}

// holds reports whether a server's log holds the committed entry e and so,
// by Log Matching (checked separately), every committed entry before it.
func (t *tracker) holds(a *node, e Entry) bool {
	if e.Index <= a.log.snapIndex {
		return true
	}
	got, ok := a.log.term(e.Index)
	return ok && got == e.Term
}

// writeAfterHeal is the liveness property: once the nemesis has healed the
// cluster, some write issued after that completes.
func (t *tracker) writeAfterHeal(w *sim.World) error {
	if t.liveWrite {
		return nil
	}
	ops := w.History().Ops
	for i := t.liveFrom; i < len(ops); i++ {
		op := &ops[i]
		if in, ok := op.Input.(Op); ok && op.Done && !in.Kind.IsRead() {
			t.liveWrite = true
			return nil
		}
	}
	return errors.New("no write issued since the heal has completed (" + fmt.Sprint(len(ops)-t.liveFrom) +
		" operations issued); " + t.clusterSummary(w))
}

func (t *tracker) clusterSummary(w *sim.World) string {
	s := ""
	for i := 0; i < t.servers; i++ {
		if i > 0 {
			s += "; "
		}
		s += name(sim.NodeID(i)) + " " + describeServer(w, sim.NodeID(i))
	}
	return s
}

func describeServer(w *sim.World, id sim.NodeID) string {
	a, ok := w.Agent(id).(*node)
	if !ok || a == nil {
		return "down"
	}
	return a.describe()
}
