package raft

import (
	"encoding/json"
	"maps"
	"slices"
	"strconv"

	"github.com/orrery-sim/orrery/internal/assert"
	"github.com/orrery-sim/orrery/sim"
)

// OpKind is a key-value operation.
type OpKind uint8

// The operations of the store. Reads (get, exists, count) are served through
// ReadIndex; the others go through the log.
const (
	OpGet OpKind = iota
	OpPut
	OpDelete
	OpExists
	OpCount
	OpAppend
	OpCAS
	opKindCount
)

var opNames = [opKindCount]string{"get", "put", "delete", "exists", "count", "append", "cas"}

func (k OpKind) String() string {
	if k < opKindCount {
		return opNames[k]
	}
	return "op(" + strconv.Itoa(int(k)) + ")"
}

// IsRead reports whether the operation leaves the state unchanged.
func (k OpKind) IsRead() bool { return k == OpGet || k == OpExists || k == OpCount }

// Op is one key-value operation: the input of a client operation in the history.
type Op struct {
	Kind   OpKind
	Key    string // unused by count
	Value  string // put and append: the value; cas: the new value
	Expect string // cas: the value the key must hold
}

// Describe renders the operation: "put a=v", "cas a v1→v2".
func (o Op) Describe() string {
	switch o.Kind {
	case OpPut, OpAppend:
		return o.Kind.String() + " " + o.Key + "=" + strconv.Quote(o.Value)
	case OpCAS:
		return "cas " + o.Key + " " + strconv.Quote(o.Expect) + "→" + strconv.Quote(o.Value)
	case OpCount:
		return "count"
	}
	return o.Kind.String() + " " + o.Key
}

// Result is the output of an operation. Get sets Value and Found; delete and
// exists set Found (whether the key was there); cas sets OK; count sets Count;
// put and append set OK.
type Result struct {
	Value string `json:",omitempty"`
	Found bool   `json:",omitempty"`
	OK    bool   `json:",omitempty"`
	Count int    `json:",omitempty"`
}

// Describe renders a result for traces.
func (r Result) Describe() string {
	switch {
	case r.Found && r.Value != "":
		return "found " + strconv.Quote(r.Value)
	case r.Found:
		return "found"
	case r.OK:
		return "ok"
	case r.Count > 0:
		return "count " + strconv.Itoa(r.Count)
	}
	return "none"
}

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
func (s *kvState) run(o Op) Result {
	v, found := s.Data[o.Key]
	switch o.Kind {
	case OpGet:
		return Result{Value: v, Found: found}
	case OpExists:
		return Result{Found: found}
	case OpCount:
		return Result{Count: len(s.Data)}
	case OpPut:
		s.Data[o.Key] = o.Value
		return Result{OK: true}
	case OpAppend:
		assert.That(len(v)+len(o.Value) <= valueBytesMax, "value of %q grows past %d bytes", o.Key, valueBytesMax)
		s.Data[o.Key] = v + o.Value
		return Result{OK: true}
	case OpDelete:
		delete(s.Data, o.Key)
		return Result{Found: found}
	case OpCAS:
		if !found || v != o.Expect {
			return Result{}
		}
		s.Data[o.Key] = o.Value
		return Result{OK: true}
	}
	panic("raft: unknown operation " + o.Kind.String())
}

// valueBytesMax bounds a value; appends are short, so only a runaway workload
// reaches it.
const valueBytesMax = 1 << 16

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
