package raft

import (
	"slices"
	"strconv"
	"strings"

	"github.com/orrery-sim/orrery/sim"
)

// Membership is a configuration: the voters, a majority of whom elects a
// leader and commits an entry, and the learners, who receive the log but
// neither vote nor count toward a majority. A configuration is a log entry
// (Entry.Conf) and takes effect on a server as soon as it is in its log,
// committed or not (thesis §4.1); the snapshot keeps the one in force at its
// index. Both lists are sorted and never shared with a changed copy.
type Membership struct {
	Voters   []sim.NodeID
	Learners []sim.NodeID `json:",omitempty"`
}

func (c Membership) isVoter(id sim.NodeID) bool   { return slices.Contains(c.Voters, id) }
func (c Membership) isLearner(id sim.NodeID) bool { return slices.Contains(c.Learners, id) }
func (c Membership) isMember(id sim.NodeID) bool  { return c.isVoter(id) || c.isLearner(id) }

// quorum is the size of a majority of the voters.
func (c Membership) quorum() int { return len(c.Voters)/2 + 1 }

// Describe renders the configuration as "voters n1 n2 n3 learners n6".
func (c Membership) Describe() string {
	s := "voters " + names(c.Voters)
	if len(c.Learners) > 0 {
		s += " learners " + names(c.Learners)
	}
	return s
}

func names(ids []sim.NodeID) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = "n" + strconv.Itoa(int(id)+1)
	}
	return strings.Join(parts, " ")
}

func (c Membership) digest(h uint64) uint64 {
	h = hashUint(h, uint64(len(c.Voters)))
	for _, id := range c.Voters {
		h = hashUint(h, uint64(id))
	}
	for _, id := range c.Learners {
		h = hashUint(h, uint64(id)|1<<32)
	}
	return h
}

func withID(ids []sim.NodeID, id sim.NodeID) []sim.NodeID {
	out := append(slices.Clone(ids), id)
	slices.Sort(out)
	return out
}

func withoutID(ids []sim.NodeID, id sim.NodeID) []sim.NodeID {
	return slices.DeleteFunc(slices.Clone(ids), func(x sim.NodeID) bool { return x == id })
}

// step is the next single-server change toward a goal (add joins as a voter,
// remove leaves; none for "no such end"): a server joins first as a learner,
// then is promoted; the addition goes first so that a replacement never
// runs short of voters. ok is false when the goal is reached; the error
// names a goal that cannot be reached.
func (c Membership) step(add, remove sim.NodeID) (next Membership, ok bool, err string) {
	switch {
	case add != none && c.isLearner(add):
		return Membership{Voters: withID(c.Voters, add), Learners: withoutID(c.Learners, add)}, true, ""
	case add != none && !c.isVoter(add):
		return Membership{Voters: c.Voters, Learners: withID(c.Learners, add)}, true, ""
	case remove != none && c.isVoter(remove) && len(c.Voters) == 1:
		return c, false, "the last voter cannot leave"
	case remove != none && c.isMember(remove):
		return Membership{Voters: withoutID(c.Voters, remove), Learners: withoutID(c.Learners, remove)}, true, ""
	}
	return c, false, ""
}

// confAt is the configuration in force at index i of this server's log (that
// of the last configuration entry at or before i, else the snapshot's, else
// the first one) and the index of its entry (0 for the first one). ok is
// false for an index inside the snapshot before the snapshot's configuration.
func (n *node) confAt(i uint64) (c Membership, index uint64, ok bool) {
	for j := min(i, n.log.lastIndex()); j >= n.log.firstIndex(); j-- {
		if e := n.log.entry(j); e.Conf != nil {
			return *e.Conf, j, true
		}
	}
	if n.snap.Conf != nil {
		return *n.snap.Conf, n.snap.ConfIndex, n.snap.ConfIndex <= i
	}
	return n.initial, 0, true
}

// refreshConf makes the last configuration in the log the one in force.
func (n *node) refreshConf() {
	n.conf, n.confIndex, _ = n.confAt(n.log.lastIndex())
}

// noteAppended takes the last configuration among entries just appended.
func (n *node) noteAppended(es []Entry) {
	for i := len(es) - 1; i >= 0; i-- {
		if es[i].Conf != nil {
			n.conf, n.confIndex = *es[i].Conf, es[i].Index
			return
		}
	}
}

// canChangeConf: one change at a time (the last configuration entry is
// committed), and only once an entry of the leader's own term is committed
// (its election no-op). Without the second rule a new leader may append a
// configuration next to one a former leader left uncommitted in other logs,
// two steps from a configuration whose majorities need not overlap (Ongaro,
// raft-dev, July 2015).
func (n *node) canChangeConf() bool {
	return (n.termCommitted || n.bug(BugConfigBeforeCommit)) && n.commit >= n.confIndex
}

// handleAdmin is the leader's side of a membership change request. The
// leader keeps no state for it: each request (the admin retries until it
// hears "done") takes the next single-server step toward its goal when the
// configuration may change, and reports whether the goal is reached and
// committed.
func (n *node) handleAdmin(from sim.NodeID, m MsgAdmin) {
	if n.role != roleLeader {
		n.adminReply(from, MsgAdminResp{Seq: m.Seq, NotLeader: true, Leader: n.lead})
		return
	}
	r := MsgAdminResp{Seq: m.Seq, Leader: n.self(), Status: adminPending}
	next, ok, refusal := n.conf.step(m.Add, m.Remove)
	switch {
	case refusal != "":
		r.Status, r.Reason = adminRefused, refusal
	case !ok && n.commit >= n.confIndex:
		r.Status = adminDone
	case ok && n.canChangeConf() && n.caughtUp(m.Add, next):
		if !n.conf.isMember(m.Add) && m.Add != none {
			// A server joining (again) starts with fresh progress: what it
			// acknowledged before it left may no longer hold.
			n.next[m.Add], n.match[m.Add] = n.log.lastIndex()+1, 0
		}
		n.appendEntries(Entry{Conf: &next})
		n.ctx.Logf("n%d appends configuration %s", n.self()+1, next.Describe())
		n.broadcastAppend()
		n.maybeCommit()
	}
	r.Conf = n.conf
	n.adminReply(from, r)
}

// adminReply answers the admin, or a change injected from outside the world
// (a model checker's request) through the history.
func (n *node) adminReply(to sim.NodeID, r MsgAdminResp) {
	if to == sim.External {
		n.ctx.Return(sim.OpID(r.Seq-1), r)
		return
	}
	n.send(to, r)
}

// caughtUp: a learner is promoted only once its log holds every committed
// entry, so that the new majority does not wait on it.
func (n *node) caughtUp(add sim.NodeID, next Membership) bool {
	if add == none || !next.isVoter(add) {
		return true
	}
	return n.match[add] >= n.commit
}

// stepDownIfRemoved: a leader that is not a voter of its configuration keeps
// leading (without counting itself) until that configuration is committed,
// then steps down (thesis §4.2.2); being no voter, it does not campaign.
func (n *node) stepDownIfRemoved() bool {
	if n.role != roleLeader || n.conf.isVoter(n.self()) || n.commit < n.confIndex {
		return false
	}
	n.ctx.Logf("n%d steps down: removed by configuration %s", n.self()+1, n.conf.Describe())
	n.becomeFollower(n.term, none)
	return true
}

// mayCampaign: voters campaign; learners, spares and removed servers do not,
// except a server whose removal is in its log but not known committed. It
// may be the only one holding that entry (a leader that removed itself and
// lost its majority before the entry committed): it must be able to lead,
// without counting itself, to commit it (thesis §4.2.2), or the remaining
// voters, whose logs are behind its own, could never elect anyone.
func (n *node) mayCampaign() bool {
	if n.conf.isVoter(n.self()) {
		return true
	}
	if n.commit >= n.confIndex || n.confIndex == 0 {
		return false
	}
	before, _, ok := n.confAt(n.confIndex - 1)
	return ok && before.isVoter(n.self())
}

// ignoreVote: a server that hears from a leader ignores vote requests (and
// keeps its term) from candidates outside its configuration for the minimum
// election timeout (thesis §4.2.3). A removed server that never learned of
// its removal times out and campaigns in ever higher terms; without this it
// would depose the leader again and again. The rule is limited to
// non-members so that a fixed membership runs as before.
func (n *node) ignoreVote(from sim.NodeID, m sim.Message) bool {
	if _, ok := m.(MsgVote); !ok || n.conf.isVoter(from) {
		return false
	}
	return n.role == roleLeader || (n.lead != none && n.ctx.Now()-n.leaderContact < n.cfg.ElectionTimeout)
}

// members lists the servers a leader replicates to: voters and learners
// other than itself, in id order.
func (n *node) eachMember(fn func(p sim.NodeID)) {
	for _, p := range n.peers {
		if p != n.self() && n.conf.isMember(p) {
			fn(p)
		}
	}
}
