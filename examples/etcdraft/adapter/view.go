package adapter

import (
	"fmt"

	"github.com/orrery-sim/orrery/checkers/raftsafety"
	"github.com/orrery-sim/orrery/sim"
	"go.etcd.io/raft/v3"
	"go.etcd.io/raft/v3/raftpb"
)

// Fingerprinter is an App that fingerprints its state (equal states, equal
// fingerprints), so the Raft checkers compare replicas' state machines too.
type Fingerprinter interface {
	Fingerprint() uint64
}

// EntryDescriber is an App that renders an entry's data for explanations.
type EntryDescriber interface {
	DescribeEntry(data []byte) string
}

// View returns the node as the Raft safety checkers see it: a value that
// stays equal while this incarnation runs and differs after a restart.
func (n *Node) View() raftsafety.View { return (*view)(n) }

// SafetyChecker returns the Raft safety checker of the servers of cfg, reading the
// Node of each (a server agent must be a *Node, or embed one and implement
// interface{ Node() *Node }).
func SafetyChecker(cfg *Config) *raftsafety.Checker {
	return raftsafety.New(cfg.Peers, func(w *sim.World, id sim.NodeID) (raftsafety.View, bool) {
		switch a := w.Agent(id).(type) {
		case *Node:
			return a.View(), a.rn != nil
		case interface{ Node() *Node }:
			if n := a.Node(); n != nil {
				return n.View(), n.rn != nil
			}
		}
		return nil, false
	})
}

// view implements raftsafety.View over a Node.
type view Node

func (v *view) node() *Node { return (*Node)(v) }

func (v *view) Term() uint64 { return v.node().HardState().Term }

func (v *view) Vote() (sim.NodeID, bool) {
	vote := v.node().HardState().Vote
	if vote == raft.None {
		return 0, false
	}
	return v.cfg.Peers[vote-1], true
}

func (v *view) Leader() bool { return v.soft.RaftState == raft.StateLeader }

// Commit is the saved commit index; raft starts a log at its snapshot's index
// committed, saved or not.
func (v *view) Commit() uint64 {
	snap, _ := v.Snapshot()
	return max(v.node().HardState().Commit, snap)
}
func (v *view) Applied() uint64 { return v.applied }

func (v *view) Snapshot() (index, term uint64) {
	snap, err := v.store.Snapshot()
	must(err)
	return snap.Metadata.Index, snap.Metadata.Term
}

func (v *view) LastIndex() uint64 {
	last, err := v.store.LastIndex()
	must(err)
	return last
}

func (v *view) TermAt(i uint64) (uint64, bool) {
	snap, snapTerm := v.Snapshot()
	switch {
	case i == snap:
		return snapTerm, true
	case i < snap || i > v.LastIndex():
		return 0, false
	}
	t, err := v.store.Term(i)
	return t, err == nil
}

func (v *view) Entry(i uint64) (term, digest uint64, ok bool) {
	e, ok := v.entry(i)
	if !ok {
		return 0, 0, false
	}
	return e.Term, entryDigest(e), true
}

// entry is the entry at i in the node's log, if it holds it.
func (v *view) entry(i uint64) (raftpb.Entry, bool) {
	snap, _ := v.Snapshot()
	if i <= snap || i > v.LastIndex() {
		return raftpb.Entry{}, false
	}
	ents, err := v.store.Entries(i, i+1, ^uint64(0))
	if err != nil || len(ents) == 0 {
		return raftpb.Entry{}, false
	}
	return ents[0], true
}

func entryDigest(e raftpb.Entry) uint64 {
	return raftsafety.Digest(raftsafety.Digest(0, []byte{byte(e.Type)}), e.Data)
}

func (v *view) WrittenFrom() uint64 { return v.writtenFrom }

func (v *view) AppliedNow() []raftsafety.Applied {
	out := make([]raftsafety.Applied, 0, len(v.appliedNow))
	_, hasState := v.app.(Fingerprinter)
	for _, a := range v.appliedNow {
		var r raftsafety.Applied
		if a.Snapshot != nil {
			r = raftsafety.Applied{Index: a.Snapshot.Metadata.Index, Term: a.Snapshot.Metadata.Term, Snapshot: true}
		} else {
			r = raftsafety.Applied{Index: a.Entry.Index, Term: a.Entry.Term, Digest: entryDigest(a.Entry)}
		}
		if hasState {
			r.State, r.HasState = a.state, true
		}
		out = append(out, r)
	}
	return out
}

func (v *view) DescribeEntry(i uint64) string {
	for _, a := range v.appliedNow {
		if a.Snapshot == nil && a.Entry.Index == i {
			return v.describe(a.Entry)
		}
	}
	if e, ok := v.entry(i); ok {
		return v.describe(e)
	}
	return ""
}

func (v *view) describe(e raftpb.Entry) string {
	what := "noop"
	switch {
	case e.Type != raftpb.EntryNormal:
		what = e.Type.String()
	case len(e.Data) > 0:
		what = fmt.Sprintf("%d bytes", len(e.Data))
		if d, ok := v.app.(EntryDescriber); ok {
			what = d.DescribeEntry(e.Data)
		}
	}
	return fmt.Sprintf("%d/%d %s", e.Index, e.Term, what)
}
