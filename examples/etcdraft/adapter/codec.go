package adapter

import (
	"fmt"
	"strings"

	"go.etcd.io/raft/v3/raftpb"
)

// Msg is an etcd raft message on the simulated wire. It carries the message's
// protobuf encoding, as etcd's transport sends it, so that sender and receiver
// share no memory (a duplicated message is decoded afresh each time), plus the
// header fields that traces show. Its TypeName is etcd's (MsgApp, MsgVote, ...),
// so traces, the viewer's filters and the trace hash tell the kinds apart.
type Msg struct {
	Type                         raftpb.MessageType
	Term, LogTerm, Index, Commit uint64
	Reject                       bool
	First, Last                  uint64 // indexes of the entries carried (0, 0: none)
	SnapshotIndex                uint64 // MsgSnap: the snapshot's last index
	Wire                         []byte
}

// Encode puts m on the wire.
func Encode(m raftpb.Message) Msg {
	wire, err := m.Marshal()
	if err != nil {
		panic(fmt.Sprintf("etcdraft adapter: encoding %v: %v", m.Type, err))
	}
	msg := Msg{Type: m.Type, Term: m.Term, LogTerm: m.LogTerm, Index: m.Index, Commit: m.Commit, Reject: m.Reject, Wire: wire}
	if n := len(m.Entries); n > 0 {
		msg.First, msg.Last = m.Entries[0].Index, m.Entries[n-1].Index
	}
	if m.Snapshot != nil {
		msg.SnapshotIndex = m.Snapshot.Metadata.Index
	}
	return msg
}

// Decode takes a message off the wire.
func (m Msg) Decode() raftpb.Message {
	var out raftpb.Message
	if err := out.Unmarshal(m.Wire); err != nil {
		panic(fmt.Sprintf("etcdraft adapter: decoding %v: %v", m.Type, err))
	}
	return out
}

// TypeName implements sim.TypeNamer: etcd's name of the message type.
func (m Msg) TypeName() string { return m.Type.String() }

// Describe renders the header on one line: "MsgApp term=3 log=5/2 commit=4
// entries=6..7"; fields that are zero are left out.
func (m Msg) Describe() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%v term=%d", m.Type, m.Term)
	if m.Index != 0 || m.LogTerm != 0 {
		fmt.Fprintf(&b, " log=%d/%d", m.Index, m.LogTerm)
	}
	if m.Commit != 0 {
		fmt.Fprintf(&b, " commit=%d", m.Commit)
	}
	if m.Last != 0 {
		fmt.Fprintf(&b, " entries=%d..%d", m.First, m.Last)
	}
	if m.SnapshotIndex != 0 {
		fmt.Fprintf(&b, " snapshot=%d", m.SnapshotIndex)
	}
	if m.Reject {
		b.WriteString(" reject")
	}
	return b.String()
}
