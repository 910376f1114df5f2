package raft

import (
	"strconv"

	"github.com/orrery-sim/orrery/checkers/raftsafety"
	"github.com/orrery-sim/orrery/faults"
	"github.com/orrery-sim/orrery/internal/assert"
	"github.com/orrery-sim/orrery/sim"
)

// none is "no node": no vote, no known leader.
const none sim.NodeID = -1

// Timing and size limits of a server.
const (
	heartbeatIntervalDefault = 50 * sim.Millisecond  // -param heartbeat-ms
	electionTimeoutDefault   = 300 * sim.Millisecond // -param election-timeout-ms
	timerMsMax               = 60_000                // the most a timer parameter takes
	entriesPerAppendMax      = 8                     // entries in one MsgApp
	uncommittedMax           = 64                    // a leader stops accepting writes this far ahead of its commit index
	snapshotEveryEntries     = 32                    // applied entries between snapshots (-param snapshot-every)
	snapshotEveryMax         = 1 << 20               // the most -param snapshot-every takes
	pendingReadsMax          = 64                    // reads a leader holds while confirming its leadership
)

// Timer names.
const (
	timerElection  = "election"
	timerHeartbeat = "heartbeat"
)

// Config tunes a cluster. The zero value is not useful: start from
// DefaultConfig.
type Config struct {
	PreVote     bool   // campaign only after a pre-vote round shows the candidate could win
	CheckQuorum bool   // a leader that has not heard from a majority for an election timeout steps down
	Bug         string // a planted bug, "" for none
	// SnapshotEvery is the number of applied entries between snapshots
	// (0: snapshotEveryEntries); -param snapshot-every=N sets it.
	SnapshotEvery int
	// Heartbeat is a leader's heartbeat interval (0: 50 ms).
	Heartbeat sim.Time
	// ElectionTimeout is the least time a follower waits for a leader
	// before campaigning; it draws each wait from [ElectionTimeout,
	// 2*ElectionTimeout] (0: 300 ms). It must exceed Heartbeat, or a
	// leader's heartbeats could not keep followers from campaigning.
	ElectionTimeout sim.Time
	// ClientRetry is how long a client waits for an answer before retrying
	// at another server (0: kv.DefaultTiming.RequestWait).
	ClientRetry sim.Time
}

// DefaultConfig is what the registered protocol runs. Pre-vote is off, as in
// etcd/raft's defaults and the Raft paper; with it on, a server that voted
// and restarted is rarely asked again in the same term, which hides the
// vote-not-persisted bug from random testing (tests run both settings).
var DefaultConfig = Config{PreVote: false, CheckQuorum: true}

type role uint8

const (
	roleFollower role = iota
	rolePreCandidate
	roleCandidate
	roleLeader
)

var roleNames = [...]string{"follower", "pre-candidate", "candidate", "leader"}

func (r role) String() string { return roleNames[r] }

type stepFunc func(n *node, from sim.NodeID, m sim.Message)

// node is one Raft server. Servers have ids 0..len(peers)-1: the members of
// the first configuration, then the spares, which may join later.
type node struct {
	cfg     Config
	peers   []sim.NodeID
	initial Membership   // the first configuration, which every server knows
	ctx     *sim.Context // set only while a handler runs

	// Durable (persisted before any message that depends on it).
	term uint64
	vote sim.NodeID
	log  raftLog
	snap Snapshot

	// The last configuration in the log (or the snapshot's, or the first),
	// and the index of its entry (0: the first): a function of the durable
	// log, kept up to date as the log changes.
	conf      Membership
	confIndex uint64

	// Volatile.
	role          role
	step          stepFunc
	lead          sim.NodeID
	commit        uint64
	applied       uint64
	kv            *kvState
	leaderContact sim.Time // local time the current leader was last heard from
	votes         []int8   // per server: +1 granted, -1 rejected, 0 not heard
	votesGranted  int      // distinct grants (the vote-count bug counts every grant)

	// Leader only.
	next, match   []uint64
	sentLast      []uint64 // per follower: last index of the latest AppendEntries (the match-index-from-request bug)
	active        []bool   // heard from since the last quorum check
	heartbeats    int      // heartbeats since the last quorum check
	readRound     uint64   // heartbeat rounds started
	acked         []uint64
	pendingReads  []pendingRead
	dirty         bool // storage written since the last sync
	termCommitted bool // an entry of the current term is committed

	// What this handler changed, for the safety checkers (see view.go);
	// reset at the start of each handler.
	changedFrom    uint64               // lowest log index this handler wrote (0: none)
	appliedNow     []raftsafety.Applied // each index applied, and the state after it
	appliedEntries []Entry              // the entries of appliedNow (zero for a snapshot)
}

type pendingRead struct {
	client sim.NodeID
	seq    uint64
	op     Op
	index  uint64 // the read index: commit index when the read arrived
	round  uint64 // heartbeat round whose majority answer confirms leadership
}

func newNode(cfg Config, peers []sim.NodeID, initial Membership) *node {
	return &node{cfg: cfg, peers: peers, initial: initial, conf: initial, vote: none, lead: none, kv: newKV()}
}

func (n *node) bug(name string) bool { return n.cfg.Bug == name }

func (n *node) quorum() int { return n.conf.quorum() }

func (n *node) self() sim.NodeID { return n.ctx.Self() }

// Start is also recovery: it rebuilds durable state and starts as a follower.
func (n *node) Start(ctx *sim.Context) {
	n.handle(ctx, func() {
		n.recover()
		n.becomeFollower(n.term, none)
	})
}

// Receive implements sim.Agent.
func (n *node) Receive(ctx *sim.Context, from sim.NodeID, m sim.Message) {
	n.handle(ctx, func() { n.receive(from, m) })
}

// Timer implements sim.Agent.
func (n *node) Timer(ctx *sim.Context, name string) {
	n.handle(ctx, func() {
		switch name {
		case timerElection:
			n.tickElection()
		case timerHeartbeat:
			n.tickHeartbeat()
		default:
			panic("raft: unknown timer " + name)
		}
	})
}

// handle runs one handler and syncs what it wrote before its messages leave.
func (n *node) handle(ctx *sim.Context, fn func()) {
	n.ctx, n.changedFrom, n.appliedNow, n.appliedEntries = ctx, 0, n.appliedNow[:0], n.appliedEntries[:0]
	fn()
	assert.That(n.applied == n.commit, "handler left applied %d behind commit %d", n.applied, n.commit)
	n.assertInvariants()
	if n.dirty {
		ctx.Sync()
		n.dirty = false
	}
	n.ctx = nil
}

func (n *node) send(to sim.NodeID, m sim.Message) { n.ctx.Send(to, m) }

func (n *node) resetElectionTimer() {
	n.ctx.SetTimer(timerElection, n.ctx.RandTime(n.cfg.ElectionTimeout, 2*n.cfg.ElectionTimeout))
}

// receive applies the term rules common to every role (§5.1), answers votes,
// and hands the rest to the role's step function.
func (n *node) receive(from sim.NodeID, m sim.Message) {
	switch req := m.(type) {
	case MsgRequest:
		n.handleRequest(from, req)
		return
	case sim.Request:
		if c, ok := req.Payload.(faults.Change); ok {
			n.handleAdmin(sim.External, MsgAdmin{Seq: uint64(req.ID) + 1, Add: c.Add, Remove: c.Remove})
			return
		}
		op, ok := req.Payload.(Op)
		assert.That(ok, "request payload %T is not an Op", req.Payload)
		n.handleRequest(sim.External, MsgRequest{Seq: uint64(req.ID) + 1, Op: op})
		return
	case MsgAdmin:
		n.handleAdmin(from, req)
		return
	}
	term := termOf(m)
	switch {
	case term > n.term:
		if n.ignoreVote(from, m) {
			return
		}
		if !n.keepTerm(m) {
			lead := none
			switch m.(type) {
			case MsgApp, MsgSnap:
				lead = from
			}
			n.becomeFollower(term, lead)
		}
	case term < n.term:
		n.rejectStale(from, m)
		return
	}
	switch m := m.(type) {
	case MsgPreVote:
		n.handlePreVote(from, m)
	case MsgVote:
		n.handleVote(from, m)
	default:
		n.step(n, from, m)
	}
}

// keepTerm: a pre-vote and a granted pre-vote answer carry a term nobody has
// entered yet, so they change no one's term.
func (n *node) keepTerm(m sim.Message) bool {
	switch m := m.(type) {
	case MsgPreVote:
		return true
	case MsgPreVoteResp:
		return m.Granted
	}
	return false
}

// rejectStale answers a message from an older term so its sender learns the
// current term: a deposed leader steps down, a stale candidate gives up.
func (n *node) rejectStale(from sim.NodeID, m sim.Message) {
	switch m.(type) {
	case MsgApp, MsgSnap:
		n.send(from, MsgAppResp{Term: n.term})
	case MsgPreVote:
		n.send(from, MsgPreVoteResp{Term: n.term})
	case MsgVote:
		n.send(from, MsgVoteResp{Term: n.term})
	}
}

func termOf(m sim.Message) uint64 {
	switch m := m.(type) {
	case MsgPreVote:
		return m.Term
	case MsgPreVoteResp:
		return m.Term
	case MsgVote:
		return m.Term
	case MsgVoteResp:
		return m.Term
	case MsgApp:
		return m.Term
	case MsgAppResp:
		return m.Term
	case MsgSnap:
		return m.Term
	}
	panic("raft: unknown message " + sim.Describe(m))
}

// describe renders the node on one line for scenarios and reports.
func (n *node) describe() string {
	lead := "none"
	if n.lead != none {
		lead = "n" + strconv.Itoa(int(n.lead)+1)
	}
	s := n.role.String() + " term=" + u(n.term) + " commit=" + u(n.commit) + " applied=" + u(n.applied) +
		" last=" + u(n.log.lastIndex()) + " snap=" + u(n.log.snapIndex) + " leader=" + lead
	if n.confIndex > 0 {
		s += " conf@" + u(n.confIndex) + "=" + n.conf.Describe()
	}
	return s
}

// assertInvariants checks, after every handler, the order of the indexes a
// server keeps (snapshot <= applied <= commit <= last) and that its log holds
// no entry of a term it has not reached.
func (n *node) assertInvariants() {
	// The checks branch before calling assert.That, whose variadic
	// arguments would otherwise be boxed on every event.
	if !(n.log.snapIndex <= n.applied && n.applied <= n.commit) {
		assert.That(false, "snapshot %d, applied %d, commit %d out of order", n.log.snapIndex, n.applied, n.commit)
	}
	if n.commit > n.log.lastIndex() {
		assert.That(false, "commit %d past the log's end %d", n.commit, n.log.lastIndex())
	}
	if n.log.lastTerm() > n.term {
		assert.That(false, "last entry of term %d in term %d", n.log.lastTerm(), n.term)
	}
}
