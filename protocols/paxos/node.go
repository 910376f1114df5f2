package paxos

import (
	"cmp"
	"math/bits"

	"github.com/orrery-sim/orrery/internal/assert"
	"github.com/orrery-sim/orrery/sim"
)

// none is "no node": no known leader.
const none sim.NodeID = -1

// Timing and size limits of a server.
const (
	tickIntervalDefault    = 50 * sim.Millisecond  // leader heartbeats and retransmissions (-param heartbeat-ms)
	electionTimeoutDefault = 300 * sim.Millisecond // -param election-timeout-ms
	timerMsMax             = 60_000                // the most a timer parameter takes
	inflightMax            = 64                    // slots a leader proposes ahead of what it has decided
	decideBatchMax         = 32                    // decided values in one catch-up answer
	localMessagesMax       = 1 << 12
	serversMax             = 64 // quorums are bitmasks of server ids
)

// Timer names.
const (
	timerElection = "election"
	timerTick     = "tick"
)

type role uint8

const (
	roleFollower role = iota
	roleCandidate
	roleLeader
)

var roleNames = [...]string{"follower", "candidate", "leader"}

func (r role) String() string { return roleNames[r] }

type stepFunc func(n *node, from sim.NodeID, m sim.Message)

// config is what every server of a run shares.
type config struct {
	peers  []sim.NodeID // servers, ids 0..N-1
	q1, q2 int
	bug    string
	// tick is a leader's heartbeat and retransmission interval, and
	// electionTimeout the least wait for a leader before campaigning (each
	// wait is drawn up to twice it); 0 means the defaults.
	tick, electionTimeout sim.Time
}

func (c *config) tickInterval() sim.Time { return cmp.Or(c.tick, tickIntervalDefault) }

func (c *config) electionTimeoutMin() sim.Time {
	return cmp.Or(c.electionTimeout, electionTimeoutDefault)
}

// node is one server: acceptor, proposer and replica.
type node struct {
	cfg *config
	ctx *sim.Context // set only while a handler runs

	// Acceptor, durable: synced before any reply that depends on it.
	promised Ballot
	accepted map[uint64]Accepted

	// Replica. Decided values are durable; the store is rebuilt from them.
	decided     map[uint64]Command
	applied     uint64 // every slot up to here is applied
	lastDecided uint64
	kv          *kvState

	// Proposer, volatile.
	role      role
	step      stepFunc
	ballot    Ballot     // the ballot this node campaigns or leads with
	leader    sim.NodeID // the leader this node last heard from
	highest   Ballot     // the highest ballot seen, so the next campaign outbids it
	from      uint64     // the first slot phase 1 asked about
	promises  []*MsgPromise
	proposals map[uint64]*proposal
	next      uint64 // the next free slot (leader)

	local []sim.Message // messages to self, handled before the handler returns
	dirty bool          // storage written since the last sync

	// Bookkeeping for checkers, reset at the start of each handler.
	acceptedNow []uint64 // slots whose accepted value this handler changed
	appliedNow  []uint64 // slots this handler applied
}

// proposal is a leader's phase 2 for one slot: the value and who accepted it.
type proposal struct {
	cmd  Command
	acks uint64 // bitmask of server ids
}

func newNode(cfg *config) *node {
	return &node{cfg: cfg, leader: none}
}

func (n *node) bug(name string) bool { return n.cfg.bug == name }

func (n *node) self() sim.NodeID { return n.ctx.Self() }

func bit(id sim.NodeID) uint64 { return 1 << uint(id) }

func count(mask uint64) int { return bits.OnesCount64(mask) }

// Start is also recovery: it reloads the acceptor's state and the decided
// values, replays them into the store and waits to hear from a leader.
func (n *node) Start(ctx *sim.Context) {
	n.handle(ctx, func() {
		n.recover()
		n.applyDecided()
		n.becomeFollower(none)
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
			n.campaign()
		case timerTick:
			n.tick()
		default:
			panic("paxos: unknown timer " + name)
		}
	})
}

// handle runs one handler, then the messages it sent to itself, and syncs
// what they wrote before any message leaves.
func (n *node) handle(ctx *sim.Context, fn func()) {
	n.ctx, n.acceptedNow, n.appliedNow = ctx, n.acceptedNow[:0], n.appliedNow[:0]
	fn()
	for i := 0; i < len(n.local); i++ {
		assert.That(i < localMessagesMax, "paxos: more than %d messages to self in one handler", localMessagesMax)
		n.receive(n.self(), n.local[i])
	}
	n.local = n.local[:0]
	if n.dirty {
		ctx.Sync()
		n.dirty = false
	}
	n.ctx = nil
}

// send sends m; a message to self is handled locally, after the current one.
func (n *node) send(to sim.NodeID, m sim.Message) {
	if to == n.self() {
		n.local = append(n.local, m)
		return
	}
	n.ctx.Send(to, m)
}

func (n *node) broadcast(m sim.Message) {
	for _, p := range n.cfg.peers {
		n.send(p, m)
	}
}

func (n *node) receive(from sim.NodeID, m sim.Message) {
	switch m := m.(type) {
	case MsgRequest:
		n.handleRequest(Command{Client: from, Seq: m.Seq, Op: m.Op})
	case sim.Request:
		op, ok := m.Payload.(Op)
		assert.That(ok, "paxos: request payload %T is not an Op", m.Payload)
		n.handleRequest(Command{Client: sim.External, Seq: uint64(m.ID) + 1, Op: op})
	case MsgPrepare:
		n.onPrepare(from, m)
	case MsgAccept:
		n.onAccept(from, m)
	case MsgDecide:
		n.onDecide(from, m)
	case MsgCatchup:
		n.onCatchup(from, m)
	case MsgHeartbeat:
		n.onHeartbeat(from, m)
	case MsgNack:
		n.onNack(m)
	default:
		n.step(n, from, m)
	}
}

func (n *node) resetElectionTimer() {
	n.ctx.SetTimer(timerElection, n.ctx.RandTime(n.cfg.electionTimeoutMin(), 2*n.cfg.electionTimeoutMin()))
}

func (n *node) see(b Ballot) {
	if n.highest.Less(b) {
		n.highest = b
	}
}

// describe renders the server on one line for scenarios and reports: its
// summary (summary.go), so scripts, -until and the viewer read alike.
func (n *node) describe() string { return n.Summary() }
