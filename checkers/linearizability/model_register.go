package linearizability

import (
	"fmt"
	"strconv"
)

// RegisterOp names a register operation.
type RegisterOp uint8

const (
	RegisterRead RegisterOp = iota
	RegisterWrite
	RegisterCAS // compare-and-set: only in CASRegisterModel
)

func (o RegisterOp) String() string {
	switch o {
	case RegisterRead:
		return "read"
	case RegisterWrite:
		return "write"
	case RegisterCAS:
		return "cas"
	}
	return "RegisterOp(" + strconv.Itoa(int(o)) + ")"
}

// RegisterInput is a register operation: a read, a write of Value, or a
// compare-and-set from Expected to Value.
type RegisterInput struct {
	Op       RegisterOp
	Value    string
	Expected string
}

// RegisterOutput is what a register operation returned: a read's Value
// (Exists false for a register never written), a compare-and-set's Ok.
type RegisterOutput struct {
	Value  string
	Exists bool
	Ok     bool
}

// RegisterState is the register's content; Exists is false until the first
// write.
type RegisterState struct {
	Value  string
	Exists bool
}

func (s RegisterState) String() string {
	if !s.Exists {
		return "nil"
	}
	return strconv.Quote(s.Value)
}

// RegisterModel is a read/write register that starts unset.
func RegisterModel() Model[RegisterState, RegisterInput, RegisterOutput] {
	m := CASRegisterModel()
	cas := m.Step
	m.Step = func(state RegisterState, in RegisterInput, out RegisterOutput) (bool, RegisterState) {
		if in.Op == RegisterCAS {
			panic("linearizability: RegisterModel has no compare-and-set; use CASRegisterModel")
		}
		return cas(state, in, out)
	}
	return m
}

// CASRegisterModel is a register with read, write and compare-and-set. A
// compare-and-set on an unset register fails.
func CASRegisterModel() Model[RegisterState, RegisterInput, RegisterOutput] {
	return Model[RegisterState, RegisterInput, RegisterOutput]{
		Init: func() RegisterState { return RegisterState{} },
		Step: stepRegister,
		StepOpen: func(state RegisterState, in RegisterInput) []RegisterState {
			switch in.Op {
			case RegisterWrite:
				return []RegisterState{{Value: in.Value, Exists: true}}
			case RegisterCAS:
				if state.Exists && state.Value == in.Expected {
					return []RegisterState{{Value: in.Value, Exists: true}}
				}
			}
			return []RegisterState{state}
		},
		ReadOnly: func(op Operation[RegisterInput, RegisterOutput]) bool {
			return op.Input.Op == RegisterRead || (op.Input.Op == RegisterCAS && !op.Open && !op.Output.Ok)
		},
		Equal:             func(a, b RegisterState) bool { return a == b },
		Hash:              func(s RegisterState) uint64 { return stringHash(s.Value) ^ boolHash(s.Exists) },
		DescribeOperation: describeRegister,
		DescribeState:     RegisterState.String,
	}
}

func boolHash(b bool) uint64 {
	if b {
		return 0x5bd1e995
	}
	return 0
}

func stepRegister(state RegisterState, in RegisterInput, out RegisterOutput) (bool, RegisterState) {
	switch in.Op {
	case RegisterRead:
		return out.Exists == state.Exists && (!out.Exists || out.Value == state.Value), state
	case RegisterWrite:
		return true, RegisterState{Value: in.Value, Exists: true}
	case RegisterCAS:
		match := state.Exists && state.Value == in.Expected
		if match != out.Ok {
			return false, state
		}
		if match {
			return true, RegisterState{Value: in.Value, Exists: true}
		}
		return true, state
	}
	panic(fmt.Sprintf("linearizability: unknown register operation %d", in.Op))
}

func describeRegister(op Operation[RegisterInput, RegisterOutput]) string {
	in, out := op.Input, op.Output
	switch {
	case op.Open && in.Op == RegisterCAS:
		return fmt.Sprintf("cas(%q, %q) -> ?", in.Expected, in.Value)
	case op.Open && in.Op == RegisterRead:
		return "read() -> ?"
	}
	switch in.Op {
	case RegisterRead:
		if !out.Exists {
			return "read() -> nil"
		}
		return fmt.Sprintf("read() -> %q", out.Value)
	case RegisterWrite:
		return fmt.Sprintf("write(%q)", in.Value)
	default:
		return fmt.Sprintf("cas(%q, %q) -> %t", in.Expected, in.Value, out.Ok)
	}
}
