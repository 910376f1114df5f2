package linearizability

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// KVOp names a key-value map operation.
type KVOp uint8

const (
	KVGet    KVOp = iota // Output.Value is the key's value ("" when absent)
	KVPut                // sets Key to Value
	KVAppend             // appends Value to Key's value ("" when absent)
	KVDelete             // removes Key; the output is not checked
	KVCAS                // sets Key to Value if present with value Expected; Output.Ok says whether it did
	KVExists             // Output.Ok says whether Key is present
	KVCount              // Output.Count is the number of keys present
)

var kvOpNames = [...]string{"get", "put", "append", "delete", "cas", "exists", "count"}

func (o KVOp) String() string {
	if int(o) < len(kvOpNames) {
		return kvOpNames[o]
	}
	return "KVOp(" + strconv.Itoa(int(o)) + ")"
}

// KVInput is a key-value map operation.
type KVInput struct {
	Op       KVOp
	Key      string
	Value    string
	Expected string
}

// KVOutput is what a key-value operation returned.
type KVOutput struct {
	Value string
	Ok    bool
	Count int
	// Absent marks a get that found no key, rendered "-> (none)" rather than
	// as an empty value. Only explanations read it: the model compares a
	// get's Value alone, so an absent key still reads as "" there.
	Absent bool
}

// KVState is an immutable map from keys to values, kept sorted by key, with
// its hash maintained incrementally (XOR of per-entry hashes).
type KVState struct {
	entries []kvEntry
	hash    uint64
}

type kvEntry struct {
	key, value string
	hash       uint64
}

func newKVEntry(key, value string) kvEntry {
	return kvEntry{key: key, value: value, hash: mix64(stringHash(key) ^ mix64(stringHash(value)+1))}
}

// Get returns the value of key and whether it is present.
func (s KVState) Get(key string) (string, bool) {
	i, found := s.find(key)
	if !found {
		return "", false
	}
	return s.entries[i].value, true
}

// Len returns the number of keys present.
func (s KVState) Len() int { return len(s.entries) }

func (s KVState) find(key string) (int, bool) {
	return slices.BinarySearchFunc(s.entries, key, func(e kvEntry, k string) int { return strings.Compare(e.key, k) })
}

// With returns s with key set to value; s is unchanged.
func (s KVState) With(key, value string) KVState {
	i, found := s.find(key)
	entry := newKVEntry(key, value)
	var entries []kvEntry
	hash := s.hash ^ entry.hash
	if found {
		entries = slices.Clone(s.entries)
		hash ^= entries[i].hash
		entries[i] = entry
	} else {
		entries = make([]kvEntry, 0, len(s.entries)+1)
		entries = append(append(append(entries, s.entries[:i]...), entry), s.entries[i:]...)
	}
	return KVState{entries: entries, hash: hash}
}

// Without returns s without key; s is unchanged.
func (s KVState) Without(key string) KVState {
	i, found := s.find(key)
	if !found {
		return s
	}
	entries := make([]kvEntry, 0, len(s.entries)-1)
	entries = append(append(entries, s.entries[:i]...), s.entries[i+1:]...)
	return KVState{entries: entries, hash: s.hash ^ s.entries[i].hash}
}

// Equal reports whether two maps hold the same entries.
func (s KVState) Equal(t KVState) bool {
	if s.hash != t.hash || len(s.entries) != len(t.entries) {
		return false
	}
	for i := range s.entries {
		if s.entries[i].key != t.entries[i].key || s.entries[i].value != t.entries[i].value {
			return false
		}
	}
	return true
}

func (s KVState) String() string {
	parts := make([]string, len(s.entries))
	for i, e := range s.entries {
		parts[i] = strconv.Quote(e.key) + ": " + strconv.Quote(e.value)
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// KVModel is a key-value map starting empty. It partitions the history per
// key, except when a count (which spans keys) appears: then it checks the
// whole history as one part.
func KVModel() Model[KVState, KVInput, KVOutput] {
	m := KVModelUnpartitioned()
	m.Partition = partitionKV
	return m
}

// KVModelUnpartitioned is KVModel checking the whole map at once; it exists
// to measure the search on large states.
func KVModelUnpartitioned() Model[KVState, KVInput, KVOutput] {
	return Model[KVState, KVInput, KVOutput]{
		Init:     func() KVState { return KVState{} },
		Step:     stepKV,
		StepOpen: stepOpenKV,
		ReadOnly: func(op Operation[KVInput, KVOutput]) bool {
			switch op.Input.Op {
			case KVGet, KVExists, KVCount:
				return true
			case KVCAS:
				return !op.Open && !op.Output.Ok
			}
			return false
		},
		Equal:             KVState.Equal,
		Hash:              func(s KVState) uint64 { return s.hash },
		DescribeOperation: describeKV,
		DescribePartition: describeKVPartition,
		DescribeState:     KVState.String,
	}
}

func stepKV(state KVState, in KVInput, out KVOutput) (bool, KVState) {
	value, present := state.Get(in.Key)
	switch in.Op {
	case KVGet:
		return out.Value == value, state
	case KVExists:
		return out.Ok == present, state
	case KVCount:
		return out.Count == state.Len(), state
	case KVCAS:
		match := present && value == in.Expected
		if match != out.Ok {
			return false, state
		}
		if match {
			return true, state.With(in.Key, in.Value)
		}
		return true, state
	}
	next := stepOpenKV(state, in)
	return true, next[0]
}

// stepOpenKV gives the state after an operation whose output is unknown.
func stepOpenKV(state KVState, in KVInput) []KVState {
	value, present := state.Get(in.Key)
	switch in.Op {
	case KVPut:
		return []KVState{state.With(in.Key, in.Value)}
	case KVAppend:
		return []KVState{state.With(in.Key, value+in.Value)}
	case KVDelete:
		return []KVState{state.Without(in.Key)}
	case KVCAS:
		if present && value == in.Expected {
			return []KVState{state.With(in.Key, in.Value)}
		}
		return []KVState{state}
	case KVGet, KVExists, KVCount:
		return []KVState{state}
	}
	panic(fmt.Sprintf("linearizability: unknown kv operation %d", in.Op))
}

// partitionKV groups operations per key, in order of first appearance.
var partitionKV = PartitionByKey[KVInput, KVOutput](
	func(in KVInput) string { return in.Key },
	func(in KVInput) bool { return in.Op == KVCount },
)

// PartitionByKey returns a Partition hook that checks each key's operations
// separately (P-compositionality), in order of first appearance, unless some
// operation spans keys (a count, a dump of all pairs): then the history is one
// part, since such an operation constrains every key at once.
func PartitionByKey[I, O any](key func(I) string, spansKeys func(I) bool) func([]Operation[I, O]) [][]int {
	return func(history []Operation[I, O]) [][]int {
		byKey := make(map[string]int)
		var parts [][]int
		for i, op := range history {
			if spansKeys != nil && spansKeys(op.Input) {
				all := make([]int, len(history))
				for k := range all {
					all[k] = k
				}
				return [][]int{all}
			}
			p, ok := byKey[key(op.Input)]
			if !ok {
				p = len(parts)
				byKey[key(op.Input)] = p
				parts = append(parts, nil)
			}
			parts[p] = append(parts[p], i)
		}
		return parts
	}
}

func describeKVPartition(part []Operation[KVInput, KVOutput]) string {
	for _, op := range part {
		if op.Input.Op == KVCount || op.Input.Key != part[0].Input.Key {
			return "all keys"
		}
	}
	if len(part) == 0 {
		return "empty"
	}
	return "key " + strconv.Quote(part[0].Input.Key)
}

func describeKV(op Operation[KVInput, KVOutput]) string {
	in, out := op.Input, op.Output
	result := func(s string) string {
		if op.Open {
			return "?"
		}
		return s
	}
	switch in.Op {
	case KVGet:
		if out.Absent {
			return fmt.Sprintf("get(%q) -> %s", in.Key, result("(none)"))
		}
		return fmt.Sprintf("get(%q) -> %s", in.Key, result(strconv.Quote(out.Value)))
	case KVPut, KVAppend:
		return fmt.Sprintf("%s(%q, %q)", in.Op, in.Key, in.Value)
	case KVDelete:
		return fmt.Sprintf("delete(%q)", in.Key)
	case KVCAS:
		return fmt.Sprintf("cas(%q, %q, %q) -> %s", in.Key, in.Expected, in.Value, result(strconv.FormatBool(out.Ok)))
	case KVExists:
		return fmt.Sprintf("exists(%q) -> %s", in.Key, result(strconv.FormatBool(out.Ok)))
	case KVCount:
		return fmt.Sprintf("count() -> %s", result(strconv.Itoa(out.Count)))
	}
	return fmt.Sprintf("%v -> %v", in, out)
}
