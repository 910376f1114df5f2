package linearizability

import (
	"context"
	"fmt"
	"slices"
	"strconv"

	"github.com/orrery-sim/orrery/internal/quote"
)

// NamedModel is one of the package's models, checkable on parsed records:
// the form the command line uses.
type NamedModel struct {
	Name string
	Doc  string
	// prepare converts the records to the model's types.
	prepare func(file string, records []Record) (Checker, error)
}

// Checker checks one prepared history.
type Checker func(ctx context.Context, opts Options) Result

// Prepare converts records to the model's operations, ready to check. A
// record the model cannot interpret yields a *ParseError.
func (n NamedModel) Prepare(file string, records []Record) (Checker, error) {
	return n.prepare(file, records)
}

// Check prepares records and checks them.
func (n NamedModel) Check(ctx context.Context, file string, records []Record, opts Options) (Result, error) {
	check, err := n.prepare(file, records)
	if err != nil {
		return Result{}, err
	}
	return check(ctx, opts), nil
}

func named[S, I, O any](name, doc string, model func() Model[S, I, O], convert func(Record) (I, O, error)) NamedModel {
	return NamedModel{Name: name, Doc: doc, prepare: func(file string, records []Record) (Checker, error) {
		ops, err := Operations(file, records, convert)
		if err != nil {
			return nil, err
		}
		m := model()
		return func(ctx context.Context, opts Options) Result { return Check(ctx, m, ops, opts) }, nil
	}}
}

var namedModels = []NamedModel{
	named("register", "read/write register", RegisterModel, registerRecord(false)),
	named("cas-register", "register with compare-and-set", CASRegisterModel, registerRecord(true)),
	named("etcd", "compare-and-set register of Jepsen's etcd logs", CASRegisterModel, registerRecord(true)),
	named("kv", "key-value map, partitioned per key unless count appears", KVModel, kvRecord),
	named("kv-unpartitioned", "key-value map checked whole", KVModelUnpartitioned, kvRecord),
	named("set", "set of values: add, remove, read, contains", SetModel, setRecord),
	named("queue", "FIFO queue: enqueue, dequeue", QueueModel, queueRecord),
}

// Lookup returns the model with the given name (see ModelNames).
func Lookup(name string) (NamedModel, bool) {
	i := slices.IndexFunc(namedModels, func(n NamedModel) bool { return n.Name == name })
	if i < 0 {
		return NamedModel{}, false
	}
	return namedModels[i], true
}

// ModelNames lists the names Lookup knows.
func ModelNames() []string {
	names := make([]string, len(namedModels))
	for i, n := range namedModels {
		names[i] = n.Name
	}
	return names
}

// DefaultModel names the model that fits a history when none is given:
// etcd for etcd logs, kv when operations have keys, cas-register otherwise.
func DefaultModel(format string, records []Record) string {
	if format == FormatEtcdLog {
		return "etcd"
	}
	if slices.ContainsFunc(records, func(r Record) bool { return r.HasKey }) {
		return "kv"
	}
	return "cas-register"
}

// Operations converts parsed records to typed operations with convert; its
// errors are reported at the record's line.
func Operations[I, O any](file string, records []Record, convert func(Record) (I, O, error)) ([]Operation[I, O], error) {
	ops := make([]Operation[I, O], 0, len(records))
	for _, r := range records {
		in, out, err := convert(r)
		if err != nil {
			return nil, &ParseError{File: file, Line: r.Line, Msg: err.Error()}
		}
		ops = append(ops, Operation[I, O]{ClientID: r.ClientID, Input: in, Output: out, Call: r.Call, Return: r.Return, Open: r.Open})
	}
	return ops, nil
}

func atom(what string, v Value) (string, error) {
	if v.Kind != ValueAtom {
		return "", fmt.Errorf("%s must be a single value, got %s", what, quote.Q(v.String()))
	}
	return v.Atom, nil
}

// pair reads a compare-and-set argument [expected new].
func pair(f string, v Value) (string, string, error) {
	if v.Kind != ValueList || len(v.Items) != 2 || v.Items[0].Kind != ValueAtom || v.Items[1].Kind != ValueAtom {
		return "", "", fmt.Errorf("%s wants [expected new], got %s", quote.Q(f), quote.Q(v.String()))
	}
	return v.Items[0].Atom, v.Items[1].Atom, nil
}

func boolean(what string, v Value) (bool, error) {
	if v.Kind == ValueAtom && (v.Atom == "true" || v.Atom == "false") {
		return v.Atom == "true", nil
	}
	return false, fmt.Errorf("%s must be true or false, got %s", what, quote.Q(v.String()))
}

func registerRecord(allowCAS bool) func(Record) (RegisterInput, RegisterOutput, error) {
	return func(r Record) (RegisterInput, RegisterOutput, error) {
		var in RegisterInput
		var out RegisterOutput
		var err error
		switch r.F {
		case "read":
			in.Op = RegisterRead
			if !r.Open && r.Result.Kind != ValueNil {
				out.Exists = true
				out.Value, err = atom("read result", r.Result)
			}
		case "write":
			in.Op = RegisterWrite
			in.Value, err = atom("write value", r.Value)
		case "cas":
			if !allowCAS {
				return in, out, fmt.Errorf("model register has no cas; use cas-register")
			}
			in.Op, out.Ok = RegisterCAS, !r.Failed
			in.Expected, in.Value, err = pair("cas", r.Value)
		default:
			err = fmt.Errorf("register models know read, write and cas, not %s", quote.Q(r.F))
		}
		return in, out, err
	}
}

var kvOps = map[string]KVOp{
	"get": KVGet, "read": KVGet, "put": KVPut, "write": KVPut, "append": KVAppend,
	"delete": KVDelete, "cas": KVCAS, "exists": KVExists, "count": KVCount,
}

func kvRecord(r Record) (KVInput, KVOutput, error) {
	var out KVOutput
	op, ok := kvOps[r.F]
	in := KVInput{Op: op, Key: r.Key}
	if !ok {
		return in, out, fmt.Errorf("the kv model knows get, put, append, delete, cas, exists and count, not %s", quote.Q(r.F))
	}
	if !r.HasKey && op != KVCount {
		return in, out, fmt.Errorf("%s needs a :key", quote.Q(r.F))
	}
	var err error
	switch op {
	case KVGet:
		switch {
		case r.Open:
		case r.Result.Kind == ValueNil:
			out.Absent = true
		default:
			out.Value, err = atom("get result", r.Result)
		}
	case KVPut, KVAppend:
		in.Value, err = atom(r.F+" value", r.Value)
	case KVCAS:
		out.Ok = !r.Failed
		in.Expected, in.Value, err = pair("cas", r.Value)
	case KVExists:
		if !r.Open {
			out.Ok, err = boolean("exists result", r.Result)
		}
	case KVCount:
		if !r.Open {
			out.Count, err = strconv.Atoi(r.Result.Atom)
			if err != nil || r.Result.Kind != ValueAtom {
				err = fmt.Errorf("count result must be an integer, got %s", quote.Q(r.Result.String()))
			}
		}
	}
	return in, out, err
}

func setRecord(r Record) (SetInput, SetOutput, error) {
	var in SetInput
	var out SetOutput
	var err error
	switch r.F {
	case "add", "remove", "contains":
		in.Op = map[string]SetOp{"add": SetAdd, "remove": SetRemove, "contains": SetContains}[r.F]
		in.Value, err = atom(r.F+" value", r.Value)
		if err == nil && in.Op == SetContains && !r.Open {
			out.Ok, err = boolean("contains result", r.Result)
		}
	case "read":
		in.Op = SetRead
		if r.Open {
			break
		}
		if r.Result.Kind != ValueList {
			return in, out, fmt.Errorf("set read result must be a collection, got %s", quote.Q(r.Result.String()))
		}
		for _, item := range r.Result.Items {
			v, err := atom("set element", item)
			if err != nil {
				return in, out, err
			}
			out.Values = append(out.Values, v)
		}
	default:
		err = fmt.Errorf("the set model knows add, remove, read and contains, not %s", quote.Q(r.F))
	}
	return in, out, err
}

func queueRecord(r Record) (QueueInput, QueueOutput, error) {
	var in QueueInput
	var out QueueOutput
	var err error
	switch r.F {
	case "enqueue":
		in.Op = QueueEnqueue
		in.Value, err = atom("enqueue value", r.Value)
	case "dequeue":
		in.Op = QueueDequeue
		if !r.Open && r.Result.Kind != ValueNil {
			out.Ok = true
			out.Value, err = atom("dequeue result", r.Result)
		}
	default:
		err = fmt.Errorf("the queue model knows enqueue and dequeue, not %s", quote.Q(r.F))
	}
	return in, out, err
}
