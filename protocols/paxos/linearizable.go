package paxos

import (
	"strconv"

	lin "github.com/orrery-sim/orrery/checkers/linearizability"
)

var kvOps = [opKindCount]lin.KVOp{
	OpGet: lin.KVGet, OpExists: lin.KVExists, OpUpdate: lin.KVPut, OpDelete: lin.KVDelete, OpCount: lin.KVCount,
	OpAppend: lin.KVAppend,
}

// kvModel is the checker's key-value model with print added: print returns
// the whole map, rendered as lin.KVState renders itself. It judges the
// client history (kv.LinearizableWith), in which operations a client gave
// up on stay open.
func kvModel() lin.Model[lin.KVState, Op, Result] {
	base := lin.KVModel()
	toKV := func(o Op) lin.KVInput { return lin.KVInput{Op: kvOps[o.Kind], Key: o.Key, Value: o.Value} }
	return lin.Model[lin.KVState, Op, Result]{
		Init: base.Init,
		Step: func(s lin.KVState, in Op, out Result) (bool, lin.KVState) {
			if in.Kind == OpPrint {
				return out.Dump == s.String(), s
			}
			return base.Step(s, toKV(in), lin.KVOutput{Value: out.Value, Ok: out.Found, Count: out.Count})
		},
		StepOpen: func(s lin.KVState, in Op) []lin.KVState {
			if in.Kind == OpPrint {
				return []lin.KVState{s}
			}
			return base.StepOpen(s, toKV(in))
		},
		ReadOnly:          func(op lin.Operation[Op, Result]) bool { return op.Input.Kind.IsRead() },
		Equal:             base.Equal,
		Hash:              base.Hash,
		Partition:         partition,
		DescribeOperation: describeOperation,
		DescribeState:     base.DescribeState,
	}
}

// partition groups operations per key, unless a count or print (which span
// keys) appears: then the history is one part.
var partition = lin.PartitionByKey[Op, Result](
	func(op Op) string { return op.Key },
	func(op Op) bool { return op.Kind == OpCount || op.Kind == OpPrint },
)

func describeOperation(op lin.Operation[Op, Result]) string {
	s := op.Input.Describe()
	if op.Open {
		return s + " -> ?"
	}
	switch op.Input.Kind {
	case OpGet:
		return s + " -> " + strconv.Quote(op.Output.Value)
	case OpExists:
		return s + " -> " + strconv.FormatBool(op.Output.Found)
	case OpCount:
		return s + " -> " + strconv.Itoa(op.Output.Count)
	case OpPrint:
		return s + " -> " + op.Output.Dump
	}
	return s
}
