package adapter

import (
	"encoding/binary"
	"fmt"

	"github.com/orrery-sim/orrery/sim"
	"go.etcd.io/raft/v3"
	"go.etcd.io/raft/v3/raftpb"
)

// Storage is etcd's raft.Storage for one node, kept as a write-ahead log in the
// node's simulated durable storage (sim.Storage), with the crash semantics
// that brings: what was synced survives, and of the rest none, all, or a prefix
// (a torn write).
//
// The log is a sequence of records under keys "wal/<seq>": entries, a hard
// state, or a checkpoint (a snapshot with the entries after it and the hard
// state: everything the node holds). Recovery starts from the last checkpoint
// and replays the records after it in order, as etcd replays its WAL, so any
// prefix of the writes recovers a log the node really had; records before that
// checkpoint are garbage a compaction left behind and are skipped. Reads are
// served by the embedded raft.MemoryStorage, which always equals what the
// records say (the page cache).
type Storage struct {
	*raft.MemoryStorage
	disk    *sim.Storage
	next    uint64   // sequence number of the next record
	records []uint64 // live records, oldest first: the last checkpoint and those after it
	garbage []uint64 // records before the last checkpoint, deleted at the next one
}

const (
	walPrefix      = "wal/"
	kindEntries    = 'e'
	kindHardState  = 'h'
	kindCheckpoint = 'c'
)

// OpenStorage recovers a node's log from disk. An empty disk is a new node: it
// starts from a snapshot at index 1, term 1 holding the cluster's membership
// and no data, as etcd's documentation recommends for bootstrapping.
func OpenStorage(disk *sim.Storage, members raftpb.ConfState) *Storage {
	s := &Storage{MemoryStorage: raft.NewMemoryStorage(), disk: disk}
	keys := disk.Keys(walPrefix)
	if len(keys) == 0 {
		boot := raftpb.Snapshot{Metadata: raftpb.SnapshotMetadata{Index: 1, Term: 1, ConfState: members}}
		must(s.ApplySnapshot(boot))
		s.checkpoint()
		return s
	}
	start := -1
	for i, k := range keys {
		if v, _ := disk.Get(k); v[0] == kindCheckpoint {
			start = i
		}
	}
	if start < 0 {
		panic(fmt.Sprintf("etcdraft adapter: no checkpoint among %d WAL records", len(keys)))
	}
	for i, k := range keys {
		seq := parseSeq(k)
		s.next = seq + 1
		if i < start {
			s.garbage = append(s.garbage, seq)
			continue
		}
		s.records = append(s.records, seq)
		v, _ := disk.Get(k)
		s.replay(v)
	}
	return s
}

// replay applies one record to the memory storage.
func (s *Storage) replay(rec []byte) {
	switch rec[0] {
	case kindEntries:
		must(s.Append(decodeEntries(rec[1:])))
	case kindHardState:
		var hs raftpb.HardState
		must(hs.Unmarshal(rec[1:]))
		must(s.SetHardState(hs))
	case kindCheckpoint:
		snap, rest := cut(rec[1:])
		hs, ents := cut(rest)
		var sn raftpb.Snapshot
		must(sn.Unmarshal(snap))
		var st raftpb.HardState
		must(st.Unmarshal(hs))
		s.MemoryStorage = raft.NewMemoryStorage()
		must(s.ApplySnapshot(sn))
		must(s.Append(decodeEntries(ents)))
		must(s.SetHardState(st))
	default:
		panic(fmt.Sprintf("etcdraft adapter: WAL record of unknown kind %q", rec[0]))
	}
}

// Save writes what a Ready asks to persist, in etcd's order: the snapshot,
// the entries, the hard state. The caller syncs (Ready.MustSync, or a snapshot)
// before sending the Ready's messages. It returns the lowest log index written
// (0 if none).
func (s *Storage) Save(hs raftpb.HardState, ents []raftpb.Entry, snap raftpb.Snapshot) (writtenFrom uint64) {
	if !raft.IsEmptySnap(snap) {
		must(s.ApplySnapshot(snap))
		writtenFrom = snap.Metadata.Index
	}
	if len(ents) > 0 {
		must(s.Append(ents))
		if writtenFrom == 0 {
			writtenFrom = ents[0].Index
		}
	}
	if !raft.IsEmptyHardState(hs) {
		must(s.SetHardState(hs))
	}
	switch {
	case !raft.IsEmptySnap(snap):
		s.checkpoint() // the snapshot replaces the log: one record holds it all
	default:
		if len(ents) > 0 {
			s.put(append([]byte{kindEntries}, encodeEntries(ents)...))
		}
		if !raft.IsEmptyHardState(hs) {
			b, err := hs.Marshal()
			must(err)
			s.put(append([]byte{kindHardState}, b...))
		}
	}
	return writtenFrom
}

// Compact snapshots the state machine's data at index applied, keeps
// catchUpEntries entries before it for followers that lag a little (as etcd's
// SnapshotCatchUpEntries; in memory only: after a restart the log starts at
// the snapshot), and writes a checkpoint so that the records before it can go.
func (s *Storage) Compact(applied uint64, members *raftpb.ConfState, data []byte, catchUpEntries uint64) {
	_, err := s.CreateSnapshot(applied, members, data)
	must(err)
	first, _ := s.FirstIndex()
	if applied > catchUpEntries && applied-catchUpEntries > first {
		must(s.MemoryStorage.Compact(applied - catchUpEntries))
	}
	s.checkpoint()
}

// checkpoint writes everything the memory storage holds as one record, then
// deletes every older record (oldest first, so a torn deletion leaves a suffix
// of garbage that recovery skips).
func (s *Storage) checkpoint() {
	snap, err := s.Snapshot()
	must(err)
	hs, _, err := s.InitialState()
	must(err)
	last, _ := s.LastIndex()
	var ents []raftpb.Entry
	if last > snap.Metadata.Index {
		ents, err = s.Entries(snap.Metadata.Index+1, last+1, ^uint64(0))
		must(err)
	}
	sb, err := snap.Marshal()
	must(err)
	hb, err := hs.Marshal()
	must(err)
	rec := []byte{kindCheckpoint}
	rec = binary.AppendUvarint(rec, uint64(len(sb)))
	rec = append(rec, sb...)
	rec = binary.AppendUvarint(rec, uint64(len(hb)))
	rec = append(rec, hb...)
	rec = append(rec, encodeEntries(ents)...)
	old := append(s.garbage, s.records...)
	s.garbage, s.records = nil, nil
	s.put(rec)
	for _, seq := range old {
		s.disk.Delete(key(seq))
	}
}

func (s *Storage) put(rec []byte) {
	s.disk.Put(key(s.next), rec)
	s.records = append(s.records, s.next)
	s.next++
}

// Records is how many WAL records the node holds (for state descriptions).
func (s *Storage) Records() int { return len(s.records) }

func key(seq uint64) string { return fmt.Sprintf("%s%016x", walPrefix, seq) }

func parseSeq(k string) uint64 {
	var seq uint64
	if _, err := fmt.Sscanf(k[len(walPrefix):], "%x", &seq); err != nil {
		panic(fmt.Sprintf("etcdraft adapter: bad WAL key %q", k))
	}
	return seq
}

func encodeEntries(ents []raftpb.Entry) []byte {
	var b []byte
	for i := range ents {
		e, err := ents[i].Marshal()
		must(err)
		b = binary.AppendUvarint(b, uint64(len(e)))
		b = append(b, e...)
	}
	return b
}

func decodeEntries(b []byte) []raftpb.Entry {
	var ents []raftpb.Entry
	for len(b) > 0 {
		var e raftpb.Entry
		var data []byte
		data, b = cut(b)
		must(e.Unmarshal(data))
		ents = append(ents, e)
	}
	return ents
}

// cut splits a length-prefixed field off b.
func cut(b []byte) (field, rest []byte) {
	n, k := binary.Uvarint(b)
	if k <= 0 || uint64(len(b)-k) < n {
		panic("etcdraft adapter: truncated WAL record")
	}
	return b[k : k+int(n)], b[k+int(n):]
}

func must(err error) {
	if err != nil {
		panic("etcdraft adapter: " + err.Error())
	}
}
