package linearizability

import (
	"context"
	"math"
	"strconv"
	"testing"

	"pgregory.net/rapid"
)

// genRegisterOp draws an operation on a register of small values.
func genRegisterOp(t *rapid.T, label string) RegisterInput {
	value := func(what string) string { return strconv.Itoa(rapid.IntRange(0, 2).Draw(t, label+what)) }
	switch rapid.IntRange(0, 2).Draw(t, label+"kind") {
	case 0:
		return RegisterInput{Op: RegisterRead}
	case 1:
		return RegisterInput{Op: RegisterWrite, Value: value("value")}
	}
	return RegisterInput{Op: RegisterCAS, Expected: value("expected"), Value: value("value")}
}

// genLinearizable draws a history from a real register: each operation
// takes effect at its own instant 10*i, inside a random interval; some
// never return (open), and then may or may not have taken effect.
func genLinearizable(t *rapid.T, opsMax int) []regOp {
	n := rapid.IntRange(0, opsMax).Draw(t, "ops")
	var state RegisterState
	history := make([]regOp, n)
	for i := range n {
		label := "op" + strconv.Itoa(i)
		in := genRegisterOp(t, label)
		at := int64(10 * i)
		op := regOp{ClientID: i, Input: in,
			Call:   at - int64(rapid.IntRange(0, 25).Draw(t, label+"before")),
			Return: at + int64(rapid.IntRange(0, 25).Draw(t, label+"after"))}
		op.Open = rapid.IntRange(0, 5).Draw(t, label+"open") == 0
		if op.Open && rapid.Bool().Draw(t, label+"lost") {
			op.Return = math.MaxInt64
			history[i] = op // took no effect
			continue
		}
		switch in.Op {
		case RegisterRead:
			op.Output = RegisterOutput{Value: state.Value, Exists: state.Exists}
		case RegisterWrite:
			state = RegisterState{Value: in.Value, Exists: true}
		case RegisterCAS:
			op.Output.Ok = state.Exists && state.Value == in.Expected
			if op.Output.Ok {
				state.Value = in.Value
			}
		}
		if op.Open {
			op.Return, op.Output = math.MaxInt64, RegisterOutput{}
		}
		history[i] = op
	}
	return history
}

func TestPropertyLinearizableHistoriesPass(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		history := genLinearizable(t, 40)
		if res := Check(context.Background(), CASRegisterModel(), history, Options{}); res.Verdict != Ok {
			t.Fatalf("history from a real register judged %s:\n%s", res.Verdict, res)
		}
	})
}

// TestPropertyCorruptedReadAgreesWithBruteForce corrupts one read of a
// linearizable history and cross-checks the verdict with a brute-force
// search over all orders that respect real time.
func TestPropertyCorruptedReadAgreesWithBruteForce(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		history := genLinearizable(t, 7)
		var reads []int
		for i, op := range history {
			if op.Input.Op == RegisterRead && !op.Open {
				reads = append(reads, i)
			}
		}
		if len(reads) == 0 {
			t.Skip("no read to corrupt")
		}
		i := reads[rapid.IntRange(0, len(reads)-1).Draw(t, "read")]
		history[i].Output = RegisterOutput{Value: strconv.Itoa(rapid.IntRange(0, 3).Draw(t, "corrupt")), Exists: rapid.Bool().Draw(t, "exists")}
		want := bruteForce(CASRegisterModel(), history)
		if got := Check(context.Background(), CASRegisterModel(), history, Options{}).Verdict; got != want {
			t.Fatalf("Check says %s, brute force %s", got, want)
		}
	})
}

// TestPropertyArbitraryHistoriesAgreeWithBruteForce cross-checks histories
// whose outputs are random, so most are illegal.
func TestPropertyArbitraryHistoriesAgreeWithBruteForce(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(0, 6).Draw(t, "ops")
		history := make([]regOp, n)
		for i := range history {
			label := "op" + strconv.Itoa(i)
			call := int64(rapid.IntRange(0, 20).Draw(t, label+"call"))
			history[i] = regOp{ClientID: i, Input: genRegisterOp(t, label), Call: call,
				Return: call + int64(rapid.IntRange(0, 10).Draw(t, label+"length")),
				Output: RegisterOutput{Value: strconv.Itoa(rapid.IntRange(0, 2).Draw(t, label+"out")),
					Exists: rapid.Bool().Draw(t, label+"exists"), Ok: rapid.Bool().Draw(t, label+"ok")}}
			if rapid.IntRange(0, 4).Draw(t, label+"open") == 0 {
				history[i].Open, history[i].Return = true, math.MaxInt64
			}
		}
		want := bruteForce(CASRegisterModel(), history)
		if got := Check(context.Background(), CASRegisterModel(), history, Options{}).Verdict; got != want {
			t.Fatalf("Check says %s, brute force %s", got, want)
		}
	})
}

// bruteForce tries every order of the operations that respects real time;
// open operations may also be left out.
func bruteForce[S, I, O any](m Model[S, I, O], history []Operation[I, O]) Verdict {
	m = m.withDefaults()
	used := make([]bool, len(history))
	var try func(state S) bool
	try = func(state S) bool {
		done := true
		for i, op := range history {
			if !used[i] && !op.Open {
				done = false
			}
		}
		if done {
			return true
		}
		for i, op := range history {
			if used[i] || !mayGoNext(history, used, i) {
				continue
			}
			var next []S
			if op.Open {
				next = m.StepOpen(state, op.Input)
			} else if ok, s := m.Step(state, op.Input, op.Output); ok {
				next = []S{s}
			}
			used[i] = true
			for _, s := range next {
				if try(s) {
					return true
				}
			}
			used[i] = false
		}
		return false
	}
	if try(m.Init()) {
		return Ok
	}
	return Illegal
}

// mayGoNext: no unplaced completed operation returned before i was called.
func mayGoNext[I, O any](history []Operation[I, O], used []bool, i int) bool {
	for j, op := range history {
		if !used[j] && !op.Open && j != i && op.Return < history[i].Call {
			return false
		}
	}
	return true
}
