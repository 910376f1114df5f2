package raft

import (
	"github.com/orrery-sim/orrery/checkers/raftsafety"
	"github.com/orrery-sim/orrery/sim"
)

// safetyView is a server as the safety checkers see it. It is the node
// itself under another type, so a restart (a new node) is a new view and
// taking the view allocates nothing.
type safetyView node

// viewOf is the raftsafety view function of a world's servers.
func viewOf(w *sim.World, id sim.NodeID) (raftsafety.View, bool) {
	a, _ := w.Agent(id).(*node)
	if a == nil {
		return nil, false
	}
	return (*safetyView)(a), true
}

func (v *safetyView) Term() uint64                     { return v.term }
func (v *safetyView) Vote() (sim.NodeID, bool)         { return v.vote, v.vote != none }
func (v *safetyView) Leader() bool                     { return v.role == roleLeader }
func (v *safetyView) Commit() uint64                   { return v.commit }
func (v *safetyView) Applied() uint64                  { return v.applied }
func (v *safetyView) Snapshot() (uint64, uint64)       { return v.log.snapIndex, v.log.snapTerm }
func (v *safetyView) LastIndex() uint64                { return v.log.lastIndex() }
func (v *safetyView) WrittenFrom() uint64              { return v.changedFrom }
func (v *safetyView) AppliedNow() []raftsafety.Applied { return v.appliedNow }

func (v *safetyView) TermAt(i uint64) (uint64, bool) { return v.log.term(i) }

func (v *safetyView) Entry(i uint64) (term, digest uint64, ok bool) {
	if i < v.log.firstIndex() || i > v.log.lastIndex() {
		return 0, 0, false
	}
	e := v.log.entry(i)
	return e.Term, e.digest(), true
}

// DescribeEntry renders the entry at i from the log or, when the handler
// compacted it away, from what the handler applied.
func (v *safetyView) DescribeEntry(i uint64) string {
	if i >= v.log.firstIndex() && i <= v.log.lastIndex() {
		return v.log.entry(i).Describe()
	}
	for k, a := range v.appliedNow {
		if a.Index == i && !a.Snapshot {
			return v.appliedEntries[k].Describe()
		}
	}
	return ""
}

// VotersAt implements raftsafety.ConfigView: the voters of the configuration
// the server holds in force at index i, as it would count them.
func (v *safetyView) VotersAt(i uint64) ([]sim.NodeID, bool) {
	n := (*node)(v)
	if i == n.log.lastIndex() {
		return n.conf.Voters, true
	}
	c, _, ok := n.confAt(i)
	return c.Voters, ok
}
