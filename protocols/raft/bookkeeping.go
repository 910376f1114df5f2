package raft

import (
	"fmt"

	"github.com/orrery-sim/orrery/checkers/durable"
	"github.com/orrery-sim/orrery/checkers/raftsafety"
	"github.com/orrery-sim/orrery/sim"
)

// Property names of the leader and durability checks.
const (
	PropLeaderLegitimacy  = raftsafety.LeaderLegitimacy
	PropMatchHeld         = raftsafety.MatchHeld
	PropProgressMonotonic = raftsafety.ProgressMonotonic
	// PropStateDurable: a server never takes back what it told anyone — its
	// term never falls, its vote in that term never changes, and the last
	// entry of its own term it had when it spoke stays in its log — crash
	// and restart included.
	PropStateDurable = "state-durable"
)

// Progress implements raftsafety.Progress: the leader's matchIndex and
// nextIndex of a server.
func (v *safetyView) Progress(id sim.NodeID) (match, next uint64) { return v.match[id], v.next[id] }

// addLeaderChecks adds the leader checks (legitimacy, bookkeeping) and the
// durability check.
func addLeaderChecks(w *sim.World, servers []sim.NodeID) {
	raftsafety.NewLeaders(servers, viewOf).Register(w)
	w.AddProperty(stateDurable(servers).Property(PropStateDurable))
}

// durableView is what others rely on of a server: term and vote (a vote is
// what a candidate counts) and, when its log ends with an entry of its term,
// that entry (what a follower's acknowledgement or a leader's own match
// counts). Entries of older terms may legitimately go: a leader of the
// current term truncates uncommitted ones.
type durableView struct {
	term  uint64
	vote  sim.NodeID
	last  uint64 // index of the last entry when it is of term, else 0
	holds func(index, term uint64) bool
}

func stateDurable(servers []sim.NodeID) *durable.Checker[durableView] {
	view := func(a sim.Agent) (durableView, bool) {
		n, ok := a.(*node)
		if !ok || n == nil {
			return durableView{}, false
		}
		d := durableView{term: n.term, vote: n.vote, holds: n.holds}
		if n.log.lastTerm() == n.term {
			d.last = n.log.lastIndex()
		}
		return d, true
	}
	covers := func(now, promised durableView) error {
		switch {
		case now.term < promised.term:
			return fmt.Errorf("term %d, after term %d", now.term, promised.term)
		case now.term > promised.term:
			return nil
		case promised.vote != none && now.vote != promised.vote:
			return fmt.Errorf("vote in term %d for %s, after voting for %s", now.term, voter(now.vote), voter(promised.vote))
		case promised.last > 0 && !now.holds(promised.last, promised.term):
			return fmt.Errorf("lost entry %d of term %d", promised.last, promised.term)
		}
		return nil
	}
	return durable.New(servers, view, covers)
}

func voter(id sim.NodeID) string {
	if id == none {
		return "nobody"
	}
	return name(id)
}

// holds reports whether the log holds entry (index, term), or has compacted
// it into the snapshot (compacted entries are committed, so they are kept).
func (n *node) holds(index, term uint64) bool {
	if index <= n.log.snapIndex {
		return true
	}
	t, ok := n.log.term(index)
	return ok && t == term
}
