package linearizability

import (
	"encoding/binary"
	"fmt"
	"reflect"
)

// Operation is one client operation of a history: its input at call time and
// its output at return time. Call and Return are int64 virtual nanoseconds (any
// monotone clock works); the interval [Call, Return] is closed, so operations
// that touch at one instant are concurrent.
//
// An Open operation never returned (its client crashed or timed out): Output
// and Return are ignored, and the operation may take effect at any point after
// Call, or never.
type Operation[I, O any] struct {
	ClientID int
	Input    I
	Call     int64
	Output   O
	Return   int64
	Open     bool
}

// Model is a sequential specification. Only Init and one of Step or StepAll
// are required; every other hook has a default, so adding a hook never
// breaks callers. Hooks must be pure functions: they must not mutate their
// arguments, and states handed to the checker must never be mutated after.
type Model[S, I, O any] struct {
	// Init returns the initial state.
	Init func() S
	// Step reports whether the operation may take effect in state, with the
	// given output, and the state after it.
	Step func(state S, input I, output O) (bool, S)
	// StepAll is the nondeterministic form of Step: every state the operation
	// may leave (none when it is not allowed). When set, it is used instead of
	// Step.
	StepAll func(state S, input I, output O) []S
	// StepOpen returns every state an open operation (output unknown) may
	// leave when it takes effect in state. Required only for histories with
	// open operations that are not ReadOnly.
	StepOpen func(state S, input I) []S
	// ReadOnly reports that an operation never changes any state (a read, a
	// compare-and-set reported as failed). The search uses it to prune: a
	// read-only operation that is allowed now may as well be linearized now,
	// and an open read-only operation is dropped since its effect is
	// invisible. Default: nothing is read-only.
	ReadOnly func(op Operation[I, O]) bool
	// Equal reports whether two states are equal. Default: == when S is
	// comparable, reflect.DeepEqual otherwise.
	Equal func(a, b S) bool
	// Hash must give equal hashes to Equal states. It makes memoization
	// cheaper; default: a hash of strings and integers, 0 otherwise.
	Hash func(state S) uint64
	// Partition splits a history into parts (lists of indices into history)
	// such that the history is linearizable if and only if each part is.
	// Default: one part. Every index must appear in exactly one part.
	Partition func(history []Operation[I, O]) [][]int
	// DescribeOperation renders an operation for explanations (an open one
	// has no meaningful Output). Default: fmt's %v.
	DescribeOperation func(op Operation[I, O]) string
	// DescribePartition names a part for explanations, e.g. `key "x"`.
	// Default: "partition N".
	DescribePartition func(part []Operation[I, O]) string
	// DescribeState renders a state. Default: fmt's %v.
	DescribeState func(state S) string
}

// withDefaults returns m with every nil hook replaced by its default.
func (m Model[S, I, O]) withDefaults() Model[S, I, O] {
	if m.Init == nil {
		panic("linearizability: model has no Init")
	}
	if m.Step == nil && m.StepAll == nil {
		panic("linearizability: model has neither Step nor StepAll")
	}
	if m.ReadOnly == nil {
		m.ReadOnly = func(Operation[I, O]) bool { return false }
	}
	if m.Equal == nil {
		m.Equal = defaultEqual[S]()
	}
	if m.Hash == nil {
		m.Hash = defaultHash[S]
	}
	if m.DescribeOperation == nil {
		m.DescribeOperation = func(op Operation[I, O]) string {
			if op.Open {
				return fmt.Sprintf("%v -> ?", op.Input)
			}
			return fmt.Sprintf("%v -> %v", op.Input, op.Output)
		}
	}
	if m.DescribeState == nil {
		m.DescribeState = func(state S) string { return fmt.Sprintf("%v", state) }
	}
	return m
}

func defaultEqual[S any]() func(a, b S) bool {
	if reflect.TypeFor[S]().Comparable() {
		return func(a, b S) bool { return any(a) == any(b) }
	}
	return func(a, b S) bool { return reflect.DeepEqual(a, b) }
}

func defaultHash[S any](state S) uint64 {
	switch v := any(state).(type) {
	case string:
		return stringHash(v)
	case int:
		return mix64(uint64(v))
	case int64:
		return mix64(uint64(v))
	case int32:
		return mix64(uint64(v))
	case uint64:
		return mix64(v)
	case bool:
		if v {
			return 1
		}
	}
	return 0
}

// stringHash hashes eight bytes at a time: states such as appended-to
// strings grow to hundreds of bytes and are hashed at every step.
func stringHash(s string) uint64 {
	const k0, k1 = 0x9e3779b97f4a7c15, 0xbf58476d1ce4e5b9
	h := uint64(len(s)) * k0
	for len(s) >= 8 {
		h = (h ^ binary.LittleEndian.Uint64([]byte(s[:8]))) * k1
		h ^= h >> 29
		s = s[8:]
	}
	var tail uint64
	for i := 0; i < len(s); i++ {
		tail |= uint64(s[i]) << (8 * i)
	}
	return mix64(h ^ tail)
}

// mix64 is the splitmix64 finalizer: it spreads weak hashes over all bits.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}
