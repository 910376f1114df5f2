package raft

import (
	"github.com/orrery-sim/orrery/sim"
)

// becomeFollower enters term (clearing the vote if the term is new) under the
// given leader, or none.
func (n *node) becomeFollower(term uint64, lead sim.NodeID) {
	if term != n.term {
		if term < n.term {
			panic("raft: becomeFollower to an older term " + u(term) + " from " + u(n.term))
		}
		n.term, n.vote = term, none
		n.persistHardState(true)
	}
	n.leave()
	n.role, n.step, n.lead = roleFollower, stepFollower, lead
	if lead != none {
		n.leaderContact = n.ctx.Now()
	}
	n.resetElectionTimer()
}

// becomePreCandidate starts a pre-vote round; it changes neither term nor vote.
func (n *node) becomePreCandidate() {
	if n.role == roleLeader {
		panic("raft: invalid transition leader → pre-candidate")
	}
	n.leave()
	n.role, n.step, n.lead = rolePreCandidate, stepCandidate, none
	n.resetVotes()
}

// becomeCandidate enters a new term voting for itself.
func (n *node) becomeCandidate() {
	if n.role == roleLeader {
		panic("raft: invalid transition leader → candidate")
	}
	n.leave()
	n.term, n.vote = n.term+1, n.self()
	n.persistHardState(true)
	n.role, n.step, n.lead = roleCandidate, stepCandidate, none
	n.resetVotes()
}

// becomeLeader takes over: fresh progress for every follower and a no-op entry
// of the new term, whose commitment commits every earlier entry (§5.4.2).
func (n *node) becomeLeader() {
	if n.role != roleCandidate {
		panic("raft: invalid transition " + n.role.String() + " → leader")
	}
	n.role, n.step, n.lead = roleLeader, stepLeader, n.self()
	size := len(n.peers)
	n.next, n.match, n.acked, n.active = make([]uint64, size), make([]uint64, size), make([]uint64, size), make([]bool, size)
	n.sentLast = make([]uint64, size)
	for i := range n.next {
		n.next[i] = n.log.lastIndex() + 1
	}
	n.heartbeats, n.readRound, n.pendingReads, n.termCommitted = 0, 0, nil, false
	n.ctx.CancelTimer(timerElection)
	n.ctx.SetTimer(timerHeartbeat, n.cfg.Heartbeat)
	n.ctx.Logf("n%d leads term %d", n.self()+1, n.term)
	if !n.bug(BugFigure8) {
		// The figure8 bug re-creates the paper's setting, where a new leader
		// appends nothing until a client writes; the no-op would mask it.
		n.appendEntries(Entry{Noop: true})
	}
	n.broadcastAppend()
	n.maybeCommit()
}

// leave drops what belongs to the role being left: the heartbeat timer (a
// leader's heartbeats, a candidate's vote retries) and the reads a leader held
// (their clients time out and retry).
func (n *node) leave() {
	n.ctx.CancelTimer(timerHeartbeat)
	if n.role == roleLeader {
		n.pendingReads = nil
		n.next, n.match, n.acked, n.active, n.sentLast = nil, nil, nil, nil, nil
	}
}

func (n *node) resetVotes() {
	n.votes = make([]int8, len(n.peers))
	n.votesGranted = 0
}

func (n *node) tickElection() {
	if n.role == roleLeader {
		return // a leftover timer: leaders use the heartbeat timer
	}
	if !n.mayCampaign() {
		n.resetElectionTimer()
		return
	}
	if n.cfg.PreVote {
		n.campaign(rolePreCandidate)
	} else {
		n.campaign(roleCandidate)
	}
}

// campaign starts a pre-vote or a vote round and asks every other server.
func (n *node) campaign(kind role) {
	if kind == rolePreCandidate {
		n.becomePreCandidate()
	} else {
		n.becomeCandidate()
	}
	n.resetElectionTimer()
	n.poll(n.self(), true)
	if n.role != kind {
		return // a single-server cluster wins at once
	}
	n.requestVotes()
}

// requestVotes asks every server that has not answered yet. A candidate asks
// again every heartbeat interval until the election times out, since requests
// and answers may be lost (§5.1: servers retry RPCs that get no response).
func (n *node) requestVotes() {
	last, lastTerm := n.log.lastIndex(), n.log.lastTerm()
	for _, p := range n.peers {
		if n.votes[p] != 0 || !(n.conf.isVoter(p) || n.bug(BugNonVoterVote)) {
			continue
		}
		if n.role == rolePreCandidate {
			n.send(p, MsgPreVote{Term: n.term + 1, LastIndex: last, LastTerm: lastTerm})
		} else {
			n.send(p, MsgVote{Term: n.term, LastIndex: last, LastTerm: lastTerm})
		}
	}
	n.ctx.SetTimer(timerHeartbeat, n.cfg.Heartbeat)
}

// poll records one answer and acts on the tally: a majority of grants wins the
// round, a majority of rejections loses it.
func (n *node) poll(from sim.NodeID, granted bool) {
	// Only the voters of the candidate's configuration count; the
	// nonvoter-vote bug counts a grant from any server.
	counts := n.conf.isVoter(from) || n.bug(BugNonVoterVote)
	if n.votes[from] == 0 {
		n.votes[from] = -1
		if granted {
			n.votes[from] = 1
			if counts {
				n.votesGranted++
			}
		}
	} else if granted && counts && n.bug(BugVoteCount) {
		n.votesGranted++ // the bug: a tally, not a set, so a duplicated grant counts twice
	}
	rejects := 0
	for _, v := range n.conf.Voters {
		if n.votes[v] == -1 {
			rejects++
		}
	}
	switch {
	case n.votesGranted >= n.quorum() && n.role == rolePreCandidate:
		n.campaign(roleCandidate)
	case n.votesGranted >= n.quorum():
		n.becomeLeader()
	case rejects >= n.quorum():
		n.becomeFollower(n.term, none)
	}
}

// handlePreVote grants a pre-vote to a candidate whose log is up to date, unless
// this server has heard from a leader within the minimum election timeout: a
// live leader should not be disturbed by a server that merely lost touch.
func (n *node) handlePreVote(from sim.NodeID, m MsgPreVote) {
	inLease := n.lead != none && n.ctx.Now()-n.leaderContact < n.cfg.ElectionTimeout
	if m.Term > n.term && !inLease && n.role != roleLeader && n.log.upToDate(m.LastIndex, m.LastTerm) {
		n.send(from, MsgPreVoteResp{Term: m.Term, Granted: true})
		return
	}
	n.send(from, MsgPreVoteResp{Term: n.term})
}

// handleVote grants at most one vote per term, to a candidate whose log is at
// least as up-to-date (§5.2, §5.4.1), and persists the vote before answering.
func (n *node) handleVote(from sim.NodeID, m MsgVote) {
	canVote := n.vote == none || n.vote == from
	if canVote && n.log.upToDate(m.LastIndex, m.LastTerm) {
		n.vote = from
		n.persistHardState(!n.bug(BugVoteNotPersisted))
		n.resetElectionTimer()
		n.send(from, MsgVoteResp{Term: n.term, Granted: true})
		return
	}
	n.send(from, MsgVoteResp{Term: n.term})
}

// stepCandidate serves pre-candidates and candidates.
func stepCandidate(n *node, from sim.NodeID, m sim.Message) {
	switch m := m.(type) {
	case MsgPreVoteResp:
		if n.role == rolePreCandidate && (m.Term == n.term+1 || !m.Granted) {
			n.poll(from, m.Granted)
		}
	case MsgVoteResp:
		if n.role == roleCandidate {
			n.poll(from, m.Granted)
		}
	case MsgApp, MsgSnap:
		// A leader of this term exists: follow it.
		n.becomeFollower(n.term, from)
		n.step(n, from, m)
	}
}
