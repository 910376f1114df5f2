package raft

import (
	"encoding/json"
	"maps"
	"slices"

	"github.com/orrery-sim/orrery/internal/assert"
	"github.com/orrery-sim/orrery/sim"
	"github.com/orrery-sim/orrery/workload/kv"
)

// The operations and results are those of the shared key-value workload.
type (
	// OpKind is a key-value operation.
	OpKind = kv.Kind
	// Op is one key-value operation: the input of a client operation in the history.
	Op = kv.Op
	// Result is the output of an operation.
	Result = kv.Result
)

// The operations of the store. Reads (get, exists, count) are served through
// ReadIndex; the others go through the log.
const (
	OpGet    = kv.Get
	OpPut    = kv.Put
	OpDelete = kv.Delete
	OpExists = kv.Exists
	OpCount  = kv.Count
	OpAppend = kv.Append
	OpCAS    = kv.CAS
)

// session is a client's exactly-once record: the highest sequence number of
// its commands that was applied and that command's result, so a retried
// command is answered from here instead of being applied again.
type session struct {
	Seq    uint64
	Result Result
}

// kvState is the replicated state machine: the data and the client sessions.
// It is what a snapshot holds.
type kvState struct {
	Data     map[string]string
	Sessions map[sim.NodeID]session
}

func newKV() *kvState {
	return &kvState{Data: map[string]string{}, Sessions: map[sim.NodeID]session{}}
}

// apply runs a command. A command whose sequence number the client's session
// has already passed is not applied again: it returns the cached result if it
// is the latest one, and dup=true either way.
func (s *kvState) apply(c Command) (r Result, dup bool) {
	if ss, ok := s.Sessions[c.Client]; ok && c.Seq <= ss.Seq {
		return ss.Result, true
	}
	r = s.run(c.Op)
	s.Sessions[c.Client] = session{Seq: c.Seq, Result: r}
	return r, false
}

// run applies one operation to the data. Reads are valid here too: the
// stale-read bug and the read path share it.
func (s *kvState) run(o Op) Result { return kv.Apply(s.Data, o) }

// encode renders the state for a snapshot. encoding/json sorts map keys, so the
// bytes are a function of the state.
func (s *kvState) encode() []byte {
	b, err := json.Marshal(s)
	assert.That(err == nil, "encoding kv state: %v", err)
	return b
}

func decodeKV(b []byte) *kvState {
	s := newKV()
	if len(b) > 0 {
		err := json.Unmarshal(b, s)
		assert.That(err == nil, "decoding kv snapshot: %v", err)
	}
	return s
}

// hash fingerprints the state so checkers can compare replicas cheaply.
func (s *kvState) hash() uint64 {
	h := uint64(fnvOffset)
	for _, k := range slices.Sorted(maps.Keys(s.Data)) {
		h = hashString(hashString(h, k), s.Data[k])
	}
	for _, c := range slices.Sorted(maps.Keys(s.Sessions)) {
		ss := s.Sessions[c]
		h = hashUint(hashUint(h, uint64(c)), ss.Seq)
	}
	return h
}

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func hashUint(h, v uint64) uint64 {
	for i := 0; i < 8; i++ {
		h ^= v & 0xff
		h *= fnvPrime
		v >>= 8
	}
	return h
}

func hashString(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	return hashUint(h, uint64(len(s)))
}
