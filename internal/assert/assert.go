// Package assert checks programmer errors: a failed assertion is a bug in Orrery or
// in an agent, never an expected condition, so it panics with a message naming the
// broken contract. Expected conditions are returned as named errors instead.
package assert

import "fmt"

// That panics with the formatted message when cond is false.
func That(cond bool, format string, args ...any) {
	if !cond {
		panic(Violation(fmt.Sprintf(format, args...)))
	}
}

// Violation is the panic value of a failed assertion, so callers that recover can
// tell a broken contract from any other panic.
type Violation string

func (f Violation) Error() string { return "assertion failed: " + string(f) }

// Fail panics with the formatted message. Hot paths write
// `if !cond { assert.Fail(...) }` so that the arguments are only boxed on failure.
func Fail(format string, args ...any) {
	panic(Violation(fmt.Sprintf(format, args...)))
}
