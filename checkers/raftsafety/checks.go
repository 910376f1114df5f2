package raftsafety

import (
	"strconv"

	"github.com/orrery-sim/orrery/sim"
)

// checkMonotonic: the term is durable, so it never decreases, not even across
// a restart. The commit and applied indexes are volatile: they never decrease
// while a server runs, and a restart resets them to the durable snapshot's
// index (observe does that before this check).
func (c *Checker) checkMonotonic(id sim.NodeID, v View, s *seen) {
	switch term, commit, applied := v.Term(), v.Commit(), v.Applied(); {
	case term < s.term:
		c.fail(Monotonic, "%s: term went back from %d to %d", c.name(id), s.term, term)
	case commit < s.commit:
		c.fail(Monotonic, "%s: commit index went back from %d to %d", c.name(id), s.commit, commit)
	case applied < s.apply:
		c.fail(Monotonic, "%s: applied index went back from %d to %d", c.name(id), s.apply, applied)
	}
}

// checkElection: at most one leader per term (§5.2).
func (c *Checker) checkElection(id sim.NodeID, term uint64) {
	c.sawLeader = true
	if l, ok := c.leaders[term]; ok && l != id {
		c.fail(ElectionSafety, "two leaders in term %d: %s and %s", term, c.name(l), c.name(id))
		return
	}
	c.leaders[term] = id
}

// checkVote: a server votes for at most one candidate in a term, across
// restarts too; the vote is durable for exactly that reason.
func (c *Checker) checkVote(id sim.NodeID, k int, v View) {
	vote, ok := v.Vote()
	if !ok {
		return
	}
	if c.votes[k] == nil {
		c.votes[k] = map[uint64]sim.NodeID{}
	}
	term := v.Term()
	if old, ok := c.votes[k][term]; ok && old != vote {
		c.fail(OneVotePerTerm, "%s voted for %s and then for %s in term %d", c.name(id), c.name(old), c.name(vote), term)
		return
	}
	c.votes[k][term] = vote
}

// checkLog checks every entry the handler wrote against what any log ever held
// at the same (index, term): the same content after the same previous term.
// By induction on the index that is the Log Matching property.
func (c *Checker) checkLog(id sim.NodeID, v View) {
	from := v.WrittenFrom()
	if from == 0 {
		return
	}
	snap, snapTerm := v.Snapshot()
	prevTerm, ok := uint64(0), false
	if from <= snap+1 {
		from, prevTerm, ok = snap+1, snapTerm, true
	}
	for i, last := from, v.LastIndex(); i <= last; i++ {
		if !ok {
			prevTerm = termAt(v, i-1)
		}
		term, digest, _ := v.Entry(i)
		rec, key := logRecord{digest: digest, prevTerm: prevTerm}, [2]uint64{i, term}
		prevTerm, ok = term, true
		old, seen := c.stored[key]
		if !seen {
			c.stored[key] = rec
			continue
		}
		if old != rec {
			c.fail(LogMatching, "%s holds entry %s after term %d, but another log held a different entry %d/%d",
				c.name(id), c.describe(v, i, term), rec.prevTerm, i, term)
			return
		}
	}
}

// checkCommitted records the entries the server newly committed (it applies
// what it commits, so they are the entries it applied); an index committed
// with two different entries breaks State Machine Safety.
func (c *Checker) checkCommitted(id sim.NodeID, v View, term uint64, applied []Applied) {
	for _, a := range applied {
		if a.Snapshot {
			continue
		}
		old, ok := c.committed[a.Index]
		if !ok {
			c.committed[a.Index] = commitRecord{term: a.Term, digest: a.Digest, text: v.DescribeEntry(a.Index), by: id, byTerm: term}
			continue
		}
		if old.term != a.Term || old.digest != a.Digest {
			c.fail(StateMachineSafety, "%s committed %s at index %d, but %s committed %s there",
				c.name(id), c.describeApplied(v, a), a.Index, c.name(old.by), describeCommitted(a.Index, old))
			return
		}
	}
}

// checkApplied compares the state machine after each index the server applied
// (or installed from a snapshot) with the state any other server had there.
func (c *Checker) checkApplied(id sim.NodeID, applied []Applied) {
	for _, a := range applied {
		if !a.HasState {
			continue
		}
		old, ok := c.applied[a.Index]
		if !ok {
			c.applied[a.Index] = appliedRecord{state: a.State, by: id}
			continue
		}
		if old.state != a.State {
			c.fail(StateMachineSafety, "%s's state after applying index %d differs from %s's", c.name(id), a.Index, c.name(old.by))
			return
		}
	}
}

// checkLeaderCompleteness: a new leader's log holds every entry committed in
// an earlier term (§5.4.3); those before its snapshot are in the snapshot. A
// leader of an older term, elected late (say it was paused mid-election), need
// not hold entries committed after its term.
func (c *Checker) checkLeaderCompleteness(id sim.NodeID, v View, term uint64) {
	snap, _ := v.Snapshot()
	for i := snap + 1; ; i++ {
		rec, ok := c.committed[i]
		if !ok {
			return
		}
		if rec.byTerm >= term {
			continue
		}
		if got, has := v.TermAt(i); !has || got != rec.term {
			c.fail(LeaderCompleteness, "%s leads term %d without entry %s, committed by %s",
				c.name(id), term, describeCommitted(i, rec), c.name(rec.by))
			return
		}
	}
}

// checkElectable is Leader Completeness in the inductive form that holds in
// every state, not only when a leader is elected: a server whose log lacks a
// committed entry cannot gather a majority of servers whose logs its own is at
// least as up-to-date as (§5.4.1), so it can never win an election. A
// violation is a committed entry that a future leader may overwrite, found
// before any election has to happen (the first half of Figure 8). The
// majority is of the voters of the configuration at the end of the server's
// log (ConfigView).
func (c *Checker) checkElectable() {
	if c.commitMax == 0 {
		return
	}
	want := c.committed[c.commitMax]
	for k := range c.last {
		// A crashed server counts too: it may restart and campaign with its
		// last view's log, which is its durable log.
		s := &c.last[k]
		if s.view == nil || holds(s.view, c.commitMax, want.term) {
			continue
		}
		electorate := c.electorate(s.view, s.lastIndex)
		var voters []string
		for _, id := range electorate {
			j := c.position(id)
			if j < 0 {
				continue
			}
			o := &c.last[j]
			if o.view != nil && (s.lastTerm > o.lastTerm || (s.lastTerm == o.lastTerm && s.lastIndex >= o.lastIndex)) {
				voters = append(voters, c.name(c.servers[j]))
			}
		}
		if len(voters) >= len(electorate)/2+1 {
			c.fail(LeaderCompleteness, "%s lacks committed entry %s (committed by %s) but could win an election: its log (last %d/%d) is as up-to-date as those of %v",
				c.name(c.servers[k]), describeCommitted(c.commitMax, want), c.name(want.by), s.lastIndex, s.lastTerm, voters)
			return
		}
	}
}

// holds reports whether a server's log holds the committed entry at index of
// the given term and so, by Log Matching (checked separately), every
// committed entry before it.
func holds(v View, index, term uint64) bool {
	if snap, _ := v.Snapshot(); index <= snap {
		return true
	}
	got, ok := v.TermAt(index)
	return ok && got == term
}

// describe renders the entry at i of a server's log, or its index/term when
// the server no longer holds it.
func (c *Checker) describe(v View, i, term uint64) string {
	if t, _, ok := v.Entry(i); ok && t == term {
		if s := v.DescribeEntry(i); s != "" {
			return s
		}
	}
	return strconv.FormatUint(i, 10) + "/" + strconv.FormatUint(term, 10)
}

// describeApplied renders an entry the server just applied.
func (c *Checker) describeApplied(v View, a Applied) string {
	if s := v.DescribeEntry(a.Index); s != "" {
		return s
	}
	return strconv.FormatUint(a.Index, 10) + "/" + strconv.FormatUint(a.Term, 10)
}

// describeCommitted renders a committed entry as it was first seen.
func describeCommitted(i uint64, rec commitRecord) string {
	if rec.text != "" {
		return rec.text
	}
	return strconv.FormatUint(i, 10) + "/" + strconv.FormatUint(rec.term, 10)
}
