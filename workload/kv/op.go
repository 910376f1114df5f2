package kv

import (
	"strconv"

	"github.com/orrery-sim/orrery/internal/assert"
)

// Kind is a key-value operation.
type Kind uint8

// The operations. Get, exists and count leave the store unchanged; put and
// delete are idempotent; append and cas are not, so a retried append that
// takes effect twice shows in the history.
const (
	Get Kind = iota
	Put
	Delete
	Exists
	Count
	Append
	CAS
	kindCount
)

var kindNames = [kindCount]string{"get", "put", "delete", "exists", "count", "append", "cas"}

func (k Kind) String() string {
	if k < kindCount {
		return kindNames[k]
	}
	return "op(" + strconv.Itoa(int(k)) + ")"
}

// IsRead reports whether the operation leaves the state unchanged.
func (k Kind) IsRead() bool { return k == Get || k == Exists || k == Count }

// Op is one key-value operation: the input of a client operation in the history.
type Op struct {
	Kind   Kind
	Key    string // unused by count
	Value  string // put and append: the value; cas: the new value
	Expect string // cas: the value the key must hold
}

// Describe renders the operation: "put a=v", "cas a v1→v2".
func (o Op) Describe() string {
	switch o.Kind {
	case Put, Append:
		return o.Kind.String() + " " + o.Key + "=" + strconv.Quote(o.Value)
	case CAS:
		return "cas " + o.Key + " " + strconv.Quote(o.Expect) + "→" + strconv.Quote(o.Value)
	case Count:
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

// ValueBytesMax bounds a value; appends are short, so only a runaway
// workload reaches it.
const ValueBytesMax = 1 << 16

// Apply runs one operation on a store's data and returns its result: the
// reference semantics of the operations (reads too, so a protocol's read
// path can share it).
func Apply(data map[string]string, o Op) Result {
	v, found := data[o.Key]
	switch o.Kind {
	case Get:
		return Result{Value: v, Found: found}
	case Exists:
		return Result{Found: found}
	case Count:
		return Result{Count: len(data)}
	case Put:
		data[o.Key] = o.Value
		return Result{OK: true}
	case Append:
		assert.That(len(v)+len(o.Value) <= ValueBytesMax, "value of %q grows past %d bytes", o.Key, ValueBytesMax)
		data[o.Key] = v + o.Value
		return Result{OK: true}
	case Delete:
		delete(data, o.Key)
		return Result{Found: found}
	case CAS:
		if !found || v != o.Expect {
			return Result{}
		}
		data[o.Key] = o.Value
		return Result{OK: true}
	}
	panic("kv: unknown operation " + o.Kind.String())
}
