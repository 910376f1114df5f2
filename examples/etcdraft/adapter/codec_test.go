package adapter_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/orrery-sim/orrery/examples/etcdraft/adapter"
	"github.com/orrery-sim/orrery/sim"
	"go.etcd.io/raft/v3/raftpb"
)

// TestCodec: a message survives the wire, names itself as etcd does in
// traces and the hash, and renders its header on one line.
func TestCodec(t *testing.T) {
	tests := []struct {
		msg      raftpb.Message
		typeName string
		describe string
	}{
		{raftpb.Message{Type: raftpb.MsgApp, From: 1, To: 2, Term: 3, Index: 5, LogTerm: 2, Commit: 4,
			Entries: []raftpb.Entry{{Index: 6, Term: 3, Data: []byte("x")}, {Index: 7, Term: 3}}},
			"MsgApp", "MsgApp term=3 log=5/2 commit=4 entries=6..7"},
		{raftpb.Message{Type: raftpb.MsgVoteResp, From: 2, To: 1, Term: 4, Reject: true}, "MsgVoteResp", "MsgVoteResp term=4 reject"},
		{raftpb.Message{Type: raftpb.MsgSnap, From: 1, To: 3, Term: 2, Snapshot: &raftpb.Snapshot{Data: []byte("kv"),
			Metadata: raftpb.SnapshotMetadata{Index: 9, Term: 2, ConfState: raftpb.ConfState{Voters: []uint64{1, 2, 3}}}}},
			"MsgSnap", "MsgSnap term=2 snapshot=9"},
	}
	for _, tt := range tests {
		m := adapter.Encode(tt.msg)
		if diff := cmp.Diff(tt.msg, m.Decode()); diff != "" {
			t.Errorf("%v round trip (-sent +received):\n%s", tt.msg.Type, diff)
		}
		if got := sim.TypeName(m); got != tt.typeName {
			t.Errorf("TypeName = %q, want %q", got, tt.typeName)
		}
		if got := sim.Describe(m); got != tt.describe {
			t.Errorf("Describe = %q, want %q", got, tt.describe)
		}
	}
}
