package adapter

import (
	"fmt"

	"github.com/orrery-sim/orrery/randhook"
	"github.com/orrery-sim/orrery/sim"
	"go.etcd.io/raft/v3"
	"go.etcd.io/raft/v3/raftpb"
)

// etcd's raft draws its election timeouts from crypto/rand.Reader; every call
// into a RawNode runs inside randhook.With, so those draws are the run's choices.
func init() { randhook.Install() }

// RawNode is what a Node drives. etcd's *raft.RawNode is one; a patched copy of
// etcd's raft package can be one through a small wrapper.
type RawNode interface {
	Tick()
	Step(m raftpb.Message) error
	Propose(data []byte) error
	ReportSnapshot(id uint64, status raft.SnapshotStatus)
	HasReady() bool
	Ready() raft.Ready
	Advance(rd raft.Ready)
}

// Config is what every node of one cluster shares.
type Config struct {
	// Peers are the cluster's servers: raft ID i is Peers[i-1].
	Peers []sim.NodeID
	// Tick is the virtual time between two RawNode.Tick calls.
	Tick sim.Time
	// Raft is etcd's configuration; ID, Storage, Applied and Logger are set per
	// node, the rest (ElectionTick, HeartbeatTick, CheckQuorum, PreVote, size
	// limits) is used as given.
	Raft raft.Config
	// SnapshotEntries is how many entries a node applies between two snapshots
	// (0: it never compacts its log); CatchUpEntries how many entries it keeps
	// before a snapshot for followers that lag a little.
	SnapshotEntries, CatchUpEntries uint64
	// NewRawNode builds the RawNode; nil means raft.NewRawNode.
	NewRawNode func(c *raft.Config) (RawNode, error)
	// SystemRandom leaves etcd's randomness to the system's source, as
	// outside a simulation: runs of one seed then differ. It exists to show
	// what -check-determinism reports; never set it otherwise.
	SystemRandom bool
}

// App is the replicated state machine a node serves, and its handling of
// messages that are not raft's (client requests).
type App interface {
	// Restore replaces the state with a snapshot's data (nil: the initial state).
	Restore(data []byte)
	// Snapshot encodes the state for Restore.
	Snapshot() []byte
	// Apply applies the data of a committed normal entry (empty entries, a new
	// leader's no-ops, are not passed). A node that applies an entry it
	// proposed may answer its client through ctx.
	Apply(ctx *sim.Context, n *Node, e raftpb.Entry)
	// Receive handles a message that is not a raft Msg.
	Receive(ctx *sim.Context, n *Node, from sim.NodeID, msg sim.Message)
}

// Node is a simulated server running an etcd RawNode: an Orrery agent. Its
// handlers feed the RawNode (Tick on the "tick" timer, Step on a Msg, and the
// App's proposals), then drain every Ready in the order etcd documents:
// persist the hard state, entries and snapshot; sync; send the messages;
// apply the snapshot and the committed entries; Advance. Start is recovery:
// the log is what the node's storage kept, the state machine is rebuilt from
// the last snapshot, and raft re-delivers the committed entries after it.
type Node struct {
	cfg *Config
	id  uint64
	app App

	rn        RawNode
	store     *Storage
	members   raftpb.ConfState
	soft      raft.SoftState
	applied   uint64
	snapIndex uint64 // index of the last snapshot taken or installed

	// What the last handler did, for checkers.
	writtenFrom uint64
	appliedNow  []Applied
}

// Applied is one step of the state machine taken by the last handler.
type Applied struct {
	Entry    raftpb.Entry     // the entry applied (Index, Term, Type, Data)
	Snapshot *raftpb.Snapshot // or the snapshot installed instead
	state    uint64           // the App's Fingerprint after it, if it has one
}

// New returns the node with raft ID id (1-based) of the cluster cfg, serving app.
func New(cfg *Config, id uint64, app App) *Node {
	if id == 0 || int(id) > len(cfg.Peers) {
		panic(fmt.Sprintf("etcdraft adapter: raft ID %d outside 1..%d", id, len(cfg.Peers)))
	}
	return &Node{cfg: cfg, id: id, app: app}
}

// Start implements sim.Agent: it recovers from storage (or bootstraps) and
// starts ticking.
func (n *Node) Start(ctx *sim.Context) {
	for i := range n.cfg.Peers {
		n.members.Voters = append(n.members.Voters, uint64(i+1))
	}
	n.store = OpenStorage(ctx.Storage(), n.members)
	snap, err := n.store.Snapshot()
	must(err)
	n.app.Restore(snap.Data)
	n.applied, n.snapIndex = snap.Metadata.Index, snap.Metadata.Index
	rc := n.cfg.Raft
	rc.ID, rc.Storage, rc.Applied, rc.Logger = n.id, n.store, n.applied, panicLogger{}
	newRawNode := n.cfg.NewRawNode
	if newRawNode == nil {
		newRawNode = func(c *raft.Config) (RawNode, error) { return raft.NewRawNode(c) }
	}
	n.handle(ctx, func() {
		n.rn, err = newRawNode(&rc)
		must(err)
	})
	n.writtenFrom = n.snapIndex + 1 // the whole recovered log is new to checkers
	ctx.SetTimer("tick", n.cfg.Tick)
}

// Receive implements sim.Agent.
func (n *Node) Receive(ctx *sim.Context, from sim.NodeID, msg sim.Message) {
	n.handle(ctx, func() {
		if m, ok := msg.(Msg); ok {
			_ = n.rn.Step(m.Decode()) // errors are messages raft ignores (from removed peers)
			return
		}
		n.app.Receive(ctx, n, from, msg)
	})
}

// Timer implements sim.Agent.
func (n *Node) Timer(ctx *sim.Context, name string) {
	if name != "tick" {
		panic("etcdraft adapter: unknown timer " + name)
	}
	n.handle(ctx, n.rn.Tick)
	ctx.SetTimer("tick", n.cfg.Tick)
}

// handle runs f and drains the RawNode, with crypto/rand reading the
// handler's choices.
func (n *Node) handle(ctx *sim.Context, f func()) {
	n.writtenFrom, n.appliedNow = 0, n.appliedNow[:0]
	if n.cfg.SystemRandom {
		f()
		n.drain(ctx)
		return
	}
	randhook.With(ctx.RandReader(), func() {
		f()
		n.drain(ctx)
	})
}

// drain handles every Ready, in etcd's order.
func (n *Node) drain(ctx *sim.Context) {
	for n.rn.HasReady() {
		rd := n.rn.Ready()
		if rd.SoftState != nil {
			n.soft = *rd.SoftState
		}
		if from := n.store.Save(rd.HardState, rd.Entries, rd.Snapshot); from != 0 && (n.writtenFrom == 0 || from < n.writtenFrom) {
			n.writtenFrom = from
		}
		if rd.MustSync || !raft.IsEmptySnap(rd.Snapshot) {
			ctx.Sync()
		}
		for _, m := range rd.Messages {
			ctx.Send(n.cfg.Peers[m.To-1], Encode(m))
		}
		if !raft.IsEmptySnap(rd.Snapshot) {
			n.app.Restore(rd.Snapshot.Data)
			n.applied, n.snapIndex = rd.Snapshot.Metadata.Index, rd.Snapshot.Metadata.Index
			n.appliedNow = append(n.appliedNow, Applied{Snapshot: &rd.Snapshot, state: n.fingerprint()})
		}
		for _, e := range rd.CommittedEntries {
			if e.Type == raftpb.EntryNormal && len(e.Data) > 0 {
				n.app.Apply(ctx, n, e)
			}
			n.applied = e.Index
			n.appliedNow = append(n.appliedNow, Applied{Entry: e, state: n.fingerprint()})
		}
		n.rn.Advance(rd)
		for _, m := range rd.Messages {
			if m.Type == raftpb.MsgSnap {
				// etcd's transport reports a snapshot once it is sent; a lost
				// one is then retried like any lost append.
				n.rn.ReportSnapshot(m.To, raft.SnapshotFinish)
			}
		}
		n.maybeCompact()
	}
}

func (n *Node) fingerprint() uint64 {
	if fp, ok := n.app.(Fingerprinter); ok {
		return fp.Fingerprint()
	}
	return 0
}

func (n *Node) maybeCompact() {
	every := n.cfg.SnapshotEntries
	if every == 0 || n.applied < n.snapIndex+every {
		return
	}
	n.store.Compact(n.applied, &n.members, n.app.Snapshot(), n.cfg.CatchUpEntries)
	n.snapIndex = n.applied
}

// Propose proposes data for the log; only a leader accepts it (etcd forwards
// proposals from followers unless DisableProposalForwarding is set). Call it
// from App.Receive.
func (n *Node) Propose(data []byte) error { return n.rn.Propose(data) }

// ID is the node's raft ID.
func (n *Node) ID() uint64 { return n.id }

// Leader is the server this node believes leads, if it knows one.
func (n *Node) Leader() (sim.NodeID, bool) {
	if n.soft.Lead == raft.None {
		return 0, false
	}
	return n.cfg.Peers[n.soft.Lead-1], true
}

// IsLeader reports whether this node is the leader.
func (n *Node) IsLeader() bool { return n.soft.RaftState == raft.StateLeader }

// HardState is the node's term, vote and commit index as last saved.
func (n *Node) HardState() raftpb.HardState {
	hs, _, err := n.store.InitialState()
	must(err)
	return hs
}

// Log is the node's storage: its snapshot and the entries after it.
func (n *Node) Log() *Storage { return n.store }

// AppliedIndex is the index of the last entry applied to the state machine.
func (n *Node) AppliedIndex() uint64 { return n.applied }

// WrittenFrom is the lowest log index the last handler wrote (0: none).
func (n *Node) WrittenFrom() uint64 { return n.writtenFrom }

// AppliedNow lists what the last handler applied, in order. The slice is
// reused by the next handler.
func (n *Node) AppliedNow() []Applied { return n.appliedNow }

// PeerID is the raft ID of a server of the cluster (0 if it is not one).
func (n *Node) PeerID(id sim.NodeID) uint64 {
	for i, p := range n.cfg.Peers {
		if p == id {
			return uint64(i + 1)
		}
	}
	return 0
}

// Peer is the agent with raft ID id.
func (n *Node) Peer(id uint64) sim.NodeID { return n.cfg.Peers[id-1] }

// Describe renders the node's state on one line, for -until and -step.
func (n *Node) Describe() string {
	hs := n.HardState()
	first, _ := n.store.FirstIndex()
	last, _ := n.store.LastIndex()
	lead := "-"
	if id, ok := n.Leader(); ok {
		lead = fmt.Sprint(id)
	}
	return fmt.Sprintf("%v term=%d vote=%d lead=%s commit=%d applied=%d log=%d..%d snapshot=%d wal=%d",
		n.soft.RaftState, hs.Term, hs.Vote, lead, hs.Commit, n.applied, first, last, n.snapIndex, n.store.Records())
}

// panicLogger drops etcd's log lines and panics on its fatal ones, so that a
// broken invariant inside raft is a verdict (exit 4), not an os.Exit.
type panicLogger struct{}

func (panicLogger) Debug(...any)              {}
func (panicLogger) Debugf(string, ...any)     {}
func (panicLogger) Info(...any)               {}
func (panicLogger) Infof(string, ...any)      {}
func (panicLogger) Warning(...any)            {}
func (panicLogger) Warningf(string, ...any)   {}
func (panicLogger) Error(...any)              {}
func (panicLogger) Errorf(string, ...any)     {}
func (panicLogger) Fatal(v ...any)            { panic(fmt.Sprint(v...)) }
func (panicLogger) Fatalf(f string, v ...any) { panic(fmt.Sprintf(f, v...)) }
func (panicLogger) Panic(v ...any)            { panic(fmt.Sprint(v...)) }
func (panicLogger) Panicf(f string, v ...any) { panic(fmt.Sprintf(f, v...)) }
