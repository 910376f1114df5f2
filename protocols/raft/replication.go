package raft

import (
	"slices"

	"github.com/orrery-sim/orrery/internal/assert"
	"github.com/orrery-sim/orrery/sim"
)

// appendEntries adds entries of the leader's term to its own log.
func (n *node) appendEntries(es ...Entry) {
	for i := range es {
		es[i].Index, es[i].Term = n.log.lastIndex()+1+uint64(i), n.term
	}
	n.log.append(es...)
	n.persistAppend(es)
	n.noteAppended(es)
	n.match[n.self()] = n.log.lastIndex()
}

// broadcastAppend sends every follower (voter or learner) what it is missing.
func (n *node) broadcastAppend() {
	n.eachMember(func(p sim.NodeID) { n.sendAppend(p, 0) })
}

// broadcastHeartbeat starts a heartbeat round: an AppendEntries with no
// entries after each follower's nextIndex (§5.2). It asserts leadership,
// carries the commit index, and its answers confirm reads waiting on round.
func (n *node) broadcastHeartbeat(round uint64) {
	n.eachMember(func(p sim.NodeID) {
		prevTerm, ok := n.log.term(n.next[p] - 1)
		if !ok {
			n.sendAppend(p, round) // the snapshot
			return
		}
		n.sentLast[p] = n.next[p] - 1
		n.send(p, MsgApp{Term: n.term, PrevIndex: n.next[p] - 1, PrevTerm: prevTerm, Commit: n.commit, Round: round})
	})
}

// sendAppend sends a follower the entries from its nextIndex, at most
// entriesPerAppendMax of them, or the snapshot when those entries are
// compacted away.
func (n *node) sendAppend(to sim.NodeID, round uint64) {
	next := n.next[to]
	prevTerm, ok := n.log.term(next - 1)
	if !ok {
		n.send(to, MsgSnap{Term: n.term, Snapshot: n.snap, Round: round})
		return
	}
	last := min(n.log.lastIndex(), next+entriesPerAppendMax-1)
	n.sentLast[to] = last
	n.send(to, MsgApp{Term: n.term, PrevIndex: next - 1, PrevTerm: prevTerm, Commit: n.commit, Entries: n.log.slice(next, last), Round: round})
}

func (n *node) tickHeartbeat() {
	switch n.role {
	case rolePreCandidate, roleCandidate:
		n.requestVotes()
		return
	case roleFollower:
		return // left over from a campaign
	}
	n.ctx.SetTimer(timerHeartbeat, n.cfg.Heartbeat)
	n.heartbeats++
	if n.cfg.CheckQuorum && n.heartbeats*int(n.cfg.Heartbeat) >= int(n.cfg.ElectionTimeout) {
		if !n.quorumActive() {
			n.ctx.Logf("n%d steps down: no quorum heard for %v", n.self()+1, n.cfg.ElectionTimeout)
			n.becomeFollower(n.term, none)
			return
		}
		n.heartbeats = 0
	}
	n.broadcastHeartbeat(n.startRound())
}

// quorumActive reports whether a majority of the voters answered since the
// last check (the leader counts itself if it is one), and starts the next
// period.
func (n *node) quorumActive() bool {
	count := 0
	for _, v := range n.conf.Voters {
		if n.active[v] || v == n.self() {
			count++
		}
	}
	clear(n.active)
	return count >= n.quorum()
}

func stepLeader(n *node, from sim.NodeID, m sim.Message) {
	switch m := m.(type) {
	case MsgAppResp:
		if !n.conf.isMember(from) {
			return // a server this leader no longer replicates to
		}
		n.active[from] = true
		if m.Round > n.acked[from] {
			n.acked[from] = m.Round
			n.serveReads()
		}
		if m.Success {
			n.handleAppendAccepted(from, m)
		} else {
			n.handleAppendRejected(from, m)
		}
	case MsgApp, MsgSnap:
		// Another leader in this very term: election safety is broken. The
		// checkers report it; this server keeps its role.
		n.ctx.Logf("n%d: second leader n%d in term %d", n.self()+1, from+1, n.term)
	}
}

// handleAppendAccepted advances the follower's progress. An answer to a
// heartbeat from a follower that is behind triggers a retransmission: entries
// sent earlier may have been lost.
func (n *node) handleAppendAccepted(from sim.NodeID, m MsgAppResp) {
	if n.bug(BugMatchFromRequest) {
		// The bug: take the answer as acknowledging the latest request sent,
		// though answers to earlier (shorter) ones arrive late or twice.
		m.Index = max(m.Index, n.sentLast[from])
	}
	if m.Index <= n.match[from] {
		if m.Round > 0 && n.next[from] <= n.log.lastIndex() {
			n.sendAppend(from, 0)
		}
		return
	}
	n.match[from] = m.Index
	n.next[from] = max(n.next[from], m.Index+1)
	if n.maybeCommit() {
		if n.role == roleLeader {
			n.broadcastAppend() // followers learn the new commit index now
		}
		return
	}
	if n.next[from] <= n.log.lastIndex() {
		n.sendAppend(from, 0)
	}
}

// handleAppendRejected backs nextIndex off using the follower's hint: past
// the whole conflicting term when the leader has no entry of it, just after
// the leader's last entry of that term when it does.
func (n *node) handleAppendRejected(from sim.NodeID, m MsgAppResp) {
	if m.Index != n.next[from]-1 {
		return // an answer to an older probe
	}
	next := m.ConflictIndex
	if m.ConflictTerm > 0 {
		if i, ok := n.log.lastIndexOfTerm(m.ConflictTerm); ok {
			next = i + 1
		}
	}
	next = max(min(next, m.Index), n.match[from]+1, 1)
	if next == n.next[from] {
		// No progress (the follower lost entries it had acknowledged, which
		// only a bug does): leave the retry to the heartbeat rather than
		// ping-pong, which duplication would amplify without bound.
		return
	}
	n.next[from] = next
	n.sendAppend(from, 0)
}

// maybeCommit advances the commit index to the highest index stored on a
// majority of the voters, but only if that entry is of the current term
// (§5.4.2): counting replicas of an older entry is the Figure 8 bug. A leader
// that committed its own removal tells the others and steps down.
func (n *node) maybeCommit() bool {
	sorted := make([]uint64, 0, len(n.conf.Voters))
	for _, v := range n.conf.Voters {
		sorted = append(sorted, n.match[v])
	}
	slices.Sort(sorted)
	index := sorted[len(sorted)-n.quorum()]
	if index <= n.commit {
		return false
	}
	if t, _ := n.log.term(index); t != n.term && !n.bug(BugFigure8) {
		return false
	}
	n.commit = index
	if t, _ := n.log.term(index); t == n.term && !n.termCommitted {
		n.termCommitted = true
		n.startPendingReads()
	}
	n.applyCommitted()
	if !n.conf.isVoter(n.self()) && n.commit >= n.confIndex {
		n.broadcastAppend()
		n.stepDownIfRemoved()
	}
	return true
}

// stepFollower handles the leader's replication messages.
func stepFollower(n *node, from sim.NodeID, m sim.Message) {
	switch m := m.(type) {
	case MsgApp:
		n.lead, n.leaderContact = from, n.ctx.Now()
		n.resetElectionTimer()
		n.handleAppend(from, m)
	case MsgSnap:
		n.lead, n.leaderContact = from, n.ctx.Now()
		n.resetElectionTimer()
		n.handleSnapshot(from, m)
	}
}

// handleAppend is the follower's side of AppendEntries (§5.3).
func (n *node) handleAppend(from sim.NodeID, m MsgApp) {
	if m.PrevIndex < n.commit {
		// Everything up to the commit index matches any leader's log, so the
		// entries up to there need no check.
		n.send(from, MsgAppResp{Term: n.term, Success: true, Index: n.commit, Round: m.Round})
		return
	}
	if !n.log.matchTerm(m.PrevIndex, m.PrevTerm) {
		n.send(from, n.rejection(m))
		return
	}
	lastNew := m.PrevIndex + uint64(len(m.Entries))
	n.storeEntries(m.PrevIndex, m.Entries)
	commit := min(m.Commit, lastNew)
	if n.bug(BugCommitPastVerified) {
		// The bug: trust the leader's commit index for the whole log, including
		// entries this message did not verify.
		commit = min(m.Commit, n.log.lastIndex())
	}
	if commit > n.commit {
		n.commit = commit
		n.applyCommitted()
	}
	n.send(from, MsgAppResp{Term: n.term, Success: true, Index: lastNew, Round: m.Round})
}

func (n *node) rejection(m MsgApp) MsgAppResp {
	r := MsgAppResp{Term: n.term, Index: m.PrevIndex, Round: m.Round}
	if m.PrevIndex > n.log.lastIndex() {
		r.ConflictIndex = n.log.lastIndex() + 1
		return r
	}
	r.ConflictTerm, _ = n.log.term(m.PrevIndex)
	r.ConflictIndex = n.log.firstIndexOfTerm(m.PrevIndex)
	return r
}

// storeEntries appends the entries after prev, truncating at the first entry
// that conflicts (same index, different term). Entries that already match are
// kept: an old or duplicated MsgApp must not cut off what a newer one added.
func (n *node) storeEntries(prev uint64, es []Entry) {
	if n.bug(BugTruncateOnStale) && len(es) > 0 {
		// The bug: replace the log after prev with the message, matching or
		// not (it does stop at its own commit index).
		from := max(prev+1, n.commit+1)
		if from > prev+uint64(len(es)) {
			return
		}
		if from <= n.log.lastIndex() {
			n.truncate(from)
		}
		n.log.append(es[from-prev-1:]...)
		n.persistAppend(es[from-prev-1:])
		n.noteAppended(es[from-prev-1:])
		return
	}
	for i, e := range es {
		t, ok := n.log.term(e.Index)
		if ok && t == e.Term {
			continue
		}
		if ok {
			assert.That(e.Index > n.commit, "entry %d conflicts with the committed log (commit %d)", e.Index, n.commit)
			n.truncate(e.Index)
		}
		n.log.append(es[i:]...)
		n.persistAppend(es[i:])
		n.noteAppended(es[i:])
		return
	}
}

func (n *node) truncate(from uint64) {
	old := n.log.lastIndex()
	n.log.truncateFrom(from)
	n.persistTruncate(from, old)
	if n.confIndex >= from {
		n.refreshConf() // a configuration is undone with its entry
	}
}
