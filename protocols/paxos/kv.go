package paxos

import (
	"slices"
	"strconv"
	"strings"

	"github.com/orrery-sim/orrery/internal/assert"
	"github.com/orrery-sim/orrery/sim"
	"github.com/orrery-sim/orrery/workload/kv"
)

// OpKind names a key-value operation (the Ios set).
type OpKind uint8

// Operations.
const (
	OpGet    OpKind = iota // the key's value ("" when absent)
	OpExists               // whether the key is present
	OpUpdate               // set the key to Value
	OpDelete               // remove the key
	OpCount                // the number of keys present
	OpPrint                // every pair, as {"k": "v", ...} in key order
	OpAppend               // add Value to the end of the key's value: not idempotent
	opKindCount
)

var opNames = [opKindCount]string{"get", "exists", "update", "delete", "count", "print", "append"}

func (k OpKind) String() string { return opNames[k] }

// IsRead reports whether the operation leaves the store unchanged.
func (k OpKind) IsRead() bool { return k != OpUpdate && k != OpDelete && k != OpAppend }

// Op is a client operation.
type Op struct {
	Kind       OpKind
	Key, Value string
}

// Describe implements sim.Describer.
func (o Op) Describe() string {
	switch o.Kind {
	case OpUpdate, OpAppend:
		return o.Kind.String() + " " + o.Key + "=" + strconv.Quote(o.Value)
	case OpCount, OpPrint:
		return o.Kind.String()
	}
	return o.Kind.String() + " " + o.Key
}

// ParseOp reads an operation from words: "get k", "exists k", "update k v",
// "append k v", "delete k", "count", "print".
func ParseOp(words []string) (Op, bool) {
	if len(words) == 0 {
		return Op{}, false
	}
	i := slices.Index(opNames[:], words[0])
	if i < 0 {
		return Op{}, false
	}
	k := OpKind(i)
	switch {
	case (k == OpUpdate || k == OpAppend) && len(words) == 3:
		return Op{Kind: k, Key: words[1], Value: words[2]}, true
	case (k == OpCount || k == OpPrint) && len(words) == 1:
		return Op{Kind: k}, true
	case k != OpUpdate && k != OpAppend && k != OpCount && k != OpPrint && len(words) == 2:
		return Op{Kind: k, Key: words[1]}, true
	}
	return Op{}, false
}

// Command is what a slot holds: a client's operation with its session (client
// and sequence number), or a no-op that fills a gap.
type Command struct {
	Noop   bool
	Client sim.NodeID
	Seq    uint64
	Op     Op
}

// Describe implements sim.Describer.
func (c Command) Describe() string {
	if c.Noop {
		return "noop"
	}
	return client(c.Client) + "#" + u(c.Seq) + " " + c.Op.Describe()
}

// client renders a command's client by agent id ("@6"; names need the
// world), or "ext" for a request injected from outside.
func client(id sim.NodeID) string {
	if id == sim.External {
		return "ext"
	}
	return "@" + strconv.Itoa(int(id))
}

// Result is what an operation returned.
type Result struct {
	Value string
	Found bool
	Count int
	Dump  string
}

// Describe implements sim.Describer.
func (r Result) Describe() string {
	switch {
	case r.Dump != "":
		return r.Dump
	case r.Found:
		return "found " + strconv.Quote(r.Value) + " count=" + strconv.Itoa(r.Count)
	}
	return "absent count=" + strconv.Itoa(r.Count)
}

// session is the last command a client had applied, and its result, so that
// a retried command takes effect once and is answered alike.
type session struct {
	Seq    uint64
	Result Result
}

// kvState is the replicated state machine: the store and the client sessions.
type kvState struct {
	data     map[string]string
	sessions map[sim.NodeID]session
}

func newKV() *kvState {
	return &kvState{data: map[string]string{}, sessions: map[sim.NodeID]session{}}
}

// apply executes a command and returns its result and whether the client
// should be answered: a command already applied for its session is not
// executed again, and is answered (with the saved result) only if it is the
// session's latest.
//
// Without the session check (noDedupe, the no-session-dedupe bug) a command
// decided in two slots — a retry re-proposed by a new leader while the first
// proposal was also chosen — takes effect twice.
func (s *kvState) apply(c Command, noDedupe bool) (Result, bool) {
	if c.Noop {
		return Result{}, false
	}
	if c.Client != sim.External && !noDedupe {
		last := s.sessions[c.Client]
		if c.Seq <= last.Seq {
			return last.Result, c.Seq == last.Seq
		}
	}
	r := s.execute(c.Op)
	if c.Client != sim.External {
		s.sessions[c.Client] = session{Seq: c.Seq, Result: r}
	}
	return r, true
}

func (s *kvState) execute(o Op) Result {
	switch o.Kind {
	case OpUpdate:
		s.data[o.Key] = o.Value
	case OpAppend:
		assert.That(len(s.data[o.Key])+len(o.Value) <= kv.ValueBytesMax, "value of %q grows past %d bytes", o.Key, kv.ValueBytesMax)
		s.data[o.Key] += o.Value
	case OpDelete:
		delete(s.data, o.Key)
	case OpPrint:
		return Result{Dump: s.dump(), Count: len(s.data)}
	}
	v, ok := s.data[o.Key]
	if o.Kind == OpCount {
		v, ok = "", false
	}
	return Result{Value: v, Found: ok, Count: len(s.data)}
}

// dump renders every pair in the linearizability checker's KVState format.
func (s *kvState) dump() string {
	keys := make([]string, 0, len(s.data))
	for k := range s.data { // lint:ordered sorted below
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = strconv.Quote(k) + ": " + strconv.Quote(s.data[k])
	}
	return "{" + strings.Join(parts, ", ") + "}"
}
