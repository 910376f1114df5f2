package raft

import (
	"github.com/orrery-sim/orrery/checkers/raftsafety"
	"github.com/orrery-sim/orrery/sim"
)

// applyCommitted applies committed entries in order. The leader answers the
// client of each command it applies (whoever proposed it); a duplicate command
// is answered from the client's session instead of being applied again.
func (n *node) applyCommitted() {
	for n.applied < n.commit {
		n.applied++
		e := n.log.entry(n.applied)
		if !e.Noop && e.Conf == nil {
			r, dup := n.kv.apply(e.Cmd)
			if n.role == roleLeader && (!dup || n.kv.Sessions[e.Cmd.Client].Seq == e.Cmd.Seq) {
				n.reply(e.Cmd.Client, MsgResponse{Seq: e.Cmd.Seq, Result: r})
			}
		}
		n.markApplied(*e, false)
	}
	if n.role == roleLeader {
		n.serveReads()
	}
	n.maybeSnapshot()
}

// maybeSnapshot compacts the log once enough entries were applied since the
// last snapshot: the snapshot is the state machine at the applied index.
func (n *node) maybeSnapshot() {
	every := uint64(snapshotEveryEntries)
	if n.cfg.SnapshotEvery > 0 {
		every = uint64(n.cfg.SnapshotEvery)
	}
	if n.applied-n.log.snapIndex < every {
		return
	}
	t, _ := n.log.term(n.applied)
	c, ci, _ := n.confAt(n.applied) // before n.snap, which it may read, changes
	n.snap = Snapshot{Index: n.applied, Term: t, Data: n.kv.encode()}
	if ci > 0 && !n.bug(BugSnapshotDropsConfig) {
		// The bug: the snapshot keeps the data but not the configuration,
		// so a server restarted from it, or installing it, falls back to
		// the first configuration.
		n.snap.Conf, n.snap.ConfIndex = &c, ci
	}
	first := n.log.firstIndex()
	n.log.compact(n.applied, t)
	n.persistSnapshot(n.snap, first)
}

// handleSnapshot is the follower's side of InstallSnapshot: keep the entries
// after the snapshot if the log agrees with it there, otherwise discard the
// whole log, and take the state machine from the snapshot.
func (n *node) handleSnapshot(from sim.NodeID, m MsgSnap) {
	s := m.Snapshot
	if s.Index <= n.commit {
		n.send(from, MsgAppResp{Term: n.term, Success: true, Index: n.commit, Round: m.Round})
		return
	}
	first, last := n.log.firstIndex(), n.log.lastIndex()
	if n.log.matchTerm(s.Index, s.Term) {
		n.log.compact(s.Index, s.Term)
	} else {
		if last > s.Index {
			// Entries after the snapshot's index that disagree with it are
			// uncommitted; they go before the snapshot is written.
			n.truncate(s.Index + 1)
		}
		n.log.reset(s.Index, s.Term)
	}
	n.snap = s
	n.refreshConf()
	n.persistSnapshot(s, first)
	n.kv = decodeKV(s.Data)
	n.commit, n.applied = s.Index, s.Index
	n.markChanged(s.Index + 1)
	n.markApplied(Entry{Index: s.Index, Term: s.Term}, true)
	n.send(from, MsgAppResp{Term: n.term, Success: true, Index: s.Index, Round: m.Round})
}

// markApplied records for the checkers what the handler just applied: the
// entry, or a snapshot up to its index, and the state machine after it. The
// commit index never runs ahead of the applied index past a handler, so these
// are exactly the entries the handler committed, seen before compaction can
// drop them.
func (n *node) markApplied(e Entry, snapshot bool) {
	a := raftsafety.Applied{Index: e.Index, Term: e.Term, Snapshot: snapshot, State: n.kv.hash(), HasState: true}
	if snapshot {
		e = Entry{}
	} else {
		a.Digest = e.digest()
	}
	n.appliedNow = append(n.appliedNow, a)
	n.appliedEntries = append(n.appliedEntries, e)
}
