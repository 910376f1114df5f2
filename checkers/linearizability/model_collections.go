package linearizability

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// SetOp names a set operation.
type SetOp uint8

const (
	SetAdd      SetOp = iota // adds Value; the output is not checked
	SetRemove                // removes Value; the output is not checked
	SetRead                  // Output.Values are the elements, in any order
	SetContains              // Output.Ok says whether Value is an element
)

// SetInput is a set operation.
type SetInput struct {
	Op    SetOp
	Value string
}

// SetOutput is what a set operation returned.
type SetOutput struct {
	Values []string
	Ok     bool
}

// SetState is an immutable set of strings, kept sorted, with its hash.
type SetState struct {
	items []string
	hash  uint64
}

func elementHash(v string) uint64 { return mix64(stringHash(v) + 1) }

// Contains reports whether v is an element.
func (s SetState) Contains(v string) bool {
	_, found := slices.BinarySearch(s.items, v)
	return found
}

// Equal reports whether two sets have the same elements.
func (s SetState) Equal(t SetState) bool {
	return s.hash == t.hash && slices.Equal(s.items, t.items)
}

func (s SetState) String() string { return "#{" + quoteAll(s.items) + "}" }

func quoteAll(items []string) string {
	parts := make([]string, len(items))
	for i, v := range items {
		parts[i] = strconv.Quote(v)
	}
	return strings.Join(parts, " ")
}

func (s SetState) with(v string) SetState {
	i, found := slices.BinarySearch(s.items, v)
	if found {
		return s
	}
	return SetState{items: slices.Insert(slices.Clip(s.items), i, v), hash: s.hash ^ elementHash(v)}
}

func (s SetState) without(v string) SetState {
	i, found := slices.BinarySearch(s.items, v)
	if !found {
		return s
	}
	return SetState{items: slices.Delete(slices.Clone(s.items), i, i+1), hash: s.hash ^ elementHash(v)}
}

// SetModel is a set of strings starting empty.
func SetModel() Model[SetState, SetInput, SetOutput] {
	return Model[SetState, SetInput, SetOutput]{
		Init: func() SetState { return SetState{} },
		Step: func(s SetState, in SetInput, out SetOutput) (bool, SetState) {
			switch in.Op {
			case SetRead:
				return sameElements(s.items, out.Values), s
			case SetContains:
				return out.Ok == s.Contains(in.Value), s
			}
			return true, stepOpenSet(s, in)[0]
		},
		StepOpen: stepOpenSet,
		ReadOnly: func(op Operation[SetInput, SetOutput]) bool {
			return op.Input.Op == SetRead || op.Input.Op == SetContains
		},
		Equal: SetState.Equal,
		Hash:  func(s SetState) uint64 { return s.hash },
		DescribeOperation: func(op Operation[SetInput, SetOutput]) string {
			switch op.Input.Op {
			case SetAdd:
				return fmt.Sprintf("add(%q)", op.Input.Value)
			case SetRemove:
				return fmt.Sprintf("remove(%q)", op.Input.Value)
			case SetRead:
				if op.Open {
					return "read() -> ?"
				}
				return "read() -> #{" + quoteAll(op.Output.Values) + "}"
			}
			if op.Open {
				return fmt.Sprintf("contains(%q) -> ?", op.Input.Value)
			}
			return fmt.Sprintf("contains(%q) -> %t", op.Input.Value, op.Output.Ok)
		},
		DescribeState: SetState.String,
	}
}

func stepOpenSet(s SetState, in SetInput) []SetState {
	switch in.Op {
	case SetAdd:
		return []SetState{s.with(in.Value)}
	case SetRemove:
		return []SetState{s.without(in.Value)}
	}
	return []SetState{s}
}

// sameElements compares a sorted set with values in any order, with
// duplicates ignored.
func sameElements(sorted, values []string) bool {
	if slices.IsSorted(values) {
		return slices.Equal(sorted, slices.Compact(slices.Clone(values)))
	}
	v := slices.Clone(values)
	slices.Sort(v)
	return slices.Equal(sorted, slices.Compact(v))
}

// QueueOp names a FIFO queue operation.
type QueueOp uint8

const (
	QueueEnqueue QueueOp = iota // appends Value; the output is not checked
	QueueDequeue                // Output.Value is the head, or Output.Ok is false when empty
)

// QueueInput is a queue operation.
type QueueInput struct {
	Op    QueueOp
	Value string
}

// QueueOutput is what a queue operation returned.
type QueueOutput struct {
	Value string
	Ok    bool
}

// QueueState is an immutable FIFO queue of strings.
type QueueState struct {
	items []string
	hash  uint64
}

func newQueueState(items []string) QueueState {
	h := uint64(len(items))
	for _, v := range items {
		h = mix64(h ^ stringHash(v))
	}
	return QueueState{items: items, hash: h}
}

// Equal reports whether two queues hold the same items in the same order.
func (s QueueState) Equal(t QueueState) bool {
	return s.hash == t.hash && slices.Equal(s.items, t.items)
}

func (s QueueState) String() string { return "[" + quoteAll(s.items) + "]" }

// QueueModel is a FIFO queue of strings starting empty.
func QueueModel() Model[QueueState, QueueInput, QueueOutput] {
	return Model[QueueState, QueueInput, QueueOutput]{
		Init: func() QueueState { return newQueueState(nil) },
		Step: func(s QueueState, in QueueInput, out QueueOutput) (bool, QueueState) {
			if in.Op == QueueEnqueue {
				return true, stepOpenQueue(s, in)[0]
			}
			if len(s.items) == 0 {
				return !out.Ok, s
			}
			return out.Ok && out.Value == s.items[0], newQueueState(s.items[1:])
		},
		StepOpen: stepOpenQueue,
		// A dequeue that found the queue empty is allowed only when it is.
		ReadOnly: func(op Operation[QueueInput, QueueOutput]) bool {
			return op.Input.Op == QueueDequeue && !op.Open && !op.Output.Ok
		},
		Equal: QueueState.Equal,
		Hash:  func(s QueueState) uint64 { return s.hash },
		DescribeOperation: func(op Operation[QueueInput, QueueOutput]) string {
			switch {
			case op.Input.Op == QueueEnqueue:
				return fmt.Sprintf("enqueue(%q)", op.Input.Value)
			case op.Open:
				return "dequeue() -> ?"
			case !op.Output.Ok:
				return "dequeue() -> empty"
			}
			return fmt.Sprintf("dequeue() -> %q", op.Output.Value)
		},
		DescribeState: QueueState.String,
	}
}

func stepOpenQueue(s QueueState, in QueueInput) []QueueState {
	if in.Op == QueueEnqueue {
		return []QueueState{newQueueState(append(slices.Clip(s.items), in.Value))}
	}
	if len(s.items) == 0 {
		return []QueueState{s}
	}
	return []QueueState{newQueueState(s.items[1:])}
}
