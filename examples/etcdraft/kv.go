package etcdraft

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"maps"
	"slices"

	"github.com/orrery-sim/orrery/examples/etcdraft/adapter"
	"github.com/orrery-sim/orrery/sim"
	"github.com/orrery-sim/orrery/workload/kv"
	"go.etcd.io/raft/v3/raftpb"
)

// command is a client operation as a log entry: who asked, with which sequence
// number (for at-most-once execution), and what.
type command struct {
	Client sim.NodeID
	Seq    uint64
	Op     kv.Op
}

// encode writes the command compactly: client, sequence number and kind as
// varints, then key, value and expected value with their lengths.
func (c command) encode() []byte {
	b := binary.AppendUvarint(nil, uint64(c.Client))
	b = binary.AppendUvarint(b, c.Seq)
	b = binary.AppendUvarint(b, uint64(c.Op.Kind))
	for _, t := range []string{c.Op.Key, c.Op.Value, c.Op.Expect} {
		b = binary.AppendUvarint(b, uint64(len(t)))
		b = append(b, t...)
	}
	return b
}

func decodeCommand(b []byte) (command, error) {
	var w [3]uint64
	for i := range w {
		v, n := binary.Uvarint(b)
		if n <= 0 {
			return command{}, fmt.Errorf("truncated command")
		}
		w[i], b = v, b[n:]
	}
	var t [3]string
	for i := range t {
		l, n := binary.Uvarint(b)
		if n <= 0 || uint64(len(b)-n) < l {
			return command{}, fmt.Errorf("truncated command")
		}
		t[i], b = string(b[n:n+int(l)]), b[n+int(l):]
	}
	return command{Client: sim.NodeID(w[0]), Seq: w[1], Op: kv.Op{Kind: kv.Kind(w[2]), Key: t[0], Value: t[1], Expect: t[2]}}, nil
}

// session is the last operation a client had applied and its result, so a
// retried operation is answered, not executed twice.
type session struct {
	Seq    uint64    `json:"s"`
	Result kv.Result `json:"r"`
}

// store is the replicated state machine: a key-value map with client sessions.
// It is rebuilt from the last snapshot at every start; raft re-delivers the
// committed entries after it.
type store struct {
	Data     map[string]string      `json:"d"`
	Sessions map[sim.NodeID]session `json:"s"`
	// pending maps a client to the sequence number this server proposed for
	// it and must answer when applied (volatile: lost in a crash, when the
	// client retries).
	pending map[sim.NodeID]uint64
}

func newStore() *store {
	return &store{Data: map[string]string{}, Sessions: map[sim.NodeID]session{}, pending: map[sim.NodeID]uint64{}}
}

// Restore implements adapter.App.
func (s *store) Restore(data []byte) {
	s.Data, s.Sessions = map[string]string{}, map[sim.NodeID]session{}
	if data != nil {
		if err := json.Unmarshal(data, s); err != nil {
			panic(fmt.Sprintf("etcdraft: bad snapshot: %v", err))
		}
	}
}

// Snapshot implements adapter.App. encoding/json writes map keys sorted, so
// equal states give equal snapshots.
func (s *store) Snapshot() []byte {
	b, err := json.Marshal(s)
	if err != nil {
		panic(err)
	}
	return b
}

// Fingerprint implements adapter.Fingerprinter: FNV-1a over the data and the
// sessions in key order (cheaper than encoding a snapshot per entry applied).
func (s *store) Fingerprint() uint64 {
	h := fnv.New64a()
	var buf [8]byte
	word := func(v uint64) { binary.LittleEndian.PutUint64(buf[:], v); h.Write(buf[:]) }
	text := func(t string) { word(uint64(len(t))); h.Write([]byte(t)) }
	for _, k := range slices.Sorted(maps.Keys(s.Data)) {
		text(k)
		text(s.Data[k])
	}
	for _, c := range slices.Sorted(maps.Keys(s.Sessions)) {
		r := s.Sessions[c]
		word(uint64(c))
		word(r.Seq)
		text(r.Result.Value)
		word(uint64(r.Result.Count)<<2 | uint64(b2u(r.Result.Found))<<1 | uint64(b2u(r.Result.OK)))
	}
	return h.Sum64()
}

func b2u(b bool) uint8 {
	if b {
		return 1
	}
	return 0
}

// DescribeEntry implements adapter.EntryDescriber.
func (s *store) DescribeEntry(data []byte) string {
	c, err := decodeCommand(data)
	if err != nil {
		return fmt.Sprintf("undecodable entry (%v)", err)
	}
	return fmt.Sprintf("c%d#%d %s", c.Client, c.Seq, c.Op.Describe())
}

// Apply implements adapter.App: it executes a command once per client sequence
// number and answers the client if this server proposed it.
func (s *store) Apply(ctx *sim.Context, n *adapter.Node, e raftpb.Entry) {
	c, err := decodeCommand(e.Data)
	if err != nil {
		panic(fmt.Sprintf("etcdraft: bad entry %d: %v", e.Index, err))
	}
	sess, seen := s.Sessions[c.Client]
	if !seen || c.Seq > sess.Seq {
		sess = session{Seq: c.Seq, Result: kv.Apply(s.Data, c.Op)}
		s.Sessions[c.Client] = sess
	}
	if s.pending[c.Client] == c.Seq && sess.Seq == c.Seq {
		delete(s.pending, c.Client)
		ctx.Send(c.Client, MsgResponse{Seq: c.Seq, Result: sess.Result})
	}
}

// Receive implements adapter.App: a client's request. Only the leader
// proposes; others redirect to the leader they know.
func (s *store) Receive(ctx *sim.Context, n *adapter.Node, from sim.NodeID, msg sim.Message) {
	req, ok := msg.(MsgRequest)
	if !ok {
		panic(fmt.Sprintf("etcdraft: unexpected %T", msg))
	}
	if sess, ok := s.Sessions[from]; ok && sess.Seq >= req.Seq {
		if sess.Seq == req.Seq {
			ctx.Send(from, MsgResponse{Seq: req.Seq, Result: sess.Result})
		}
		return // an answer to an older request is of no use to the client
	}
	if !n.IsLeader() {
		leader, ok := n.Leader()
		if !ok {
			leader = kv.NoHint
		}
		ctx.Send(from, MsgResponse{Seq: req.Seq, NotLeader: true, Leader: leader})
		return
	}
	if n.Propose(command{Client: from, Seq: req.Seq, Op: req.Op}.encode()) == nil {
		s.pending[from] = req.Seq
	}
}
