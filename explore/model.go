package explore

import "github.com/orrery-sim/orrery/property"

// Model is a finite transition system to check. S is the state type and A the
// action type; both are plain values (the checker copies them freely), so a state
// that holds slices or maps must treat them as immutable and copy on write in
// NextState.
//
// The checker calls Actions and NextState from several goroutines at once during a
// parallel search, so both must be safe for concurrent use: pure functions of their
// arguments and of configuration fixed before the search.
type Model[S, A any] interface {
	// Name identifies the model (and its parameters) in results.
	Name() string
	// InitStates returns the initial states, in a deterministic order.
	InitStates() []S
	// Actions appends the actions enabled in s to actions, in a deterministic
	// order, and returns the extended slice. The checker reuses the slice.
	Actions(s S, actions []A) []A
	// NextState returns the successor of s under a, and false when a is not
	// enabled in s (the checker then ignores a).
	NextState(s S, a A) (next S, ok bool)
	// Properties lists what to check on every reachable state.
	Properties() []Property[S]
	// Fingerprint is a 64-bit hash of s. Equal states must have equal
	// fingerprints; in fingerprint mode two different states with the same
	// fingerprint are counted as one, so the hash must spread well.
	Fingerprint(s S) uint64
}

// Bounded is implemented by models with a state constraint: a reachable state
// outside the bounds is stored and checked but not expanded, as TLC treats a
// CONSTRAINT.
type Bounded[S any] interface {
	WithinBounds(s S) bool
}

// Terminal is implemented by models whose runs may legitimately end: a state with
// no enabled action that is terminal is not reported as a deadlock.
type Terminal[S any] interface {
	IsTerminal(s S) bool
}

// Encoder is implemented by models that support full-state mode: AppendKey
// appends a canonical byte encoding of s to dst, equal for equal states and
// different for different states.
type Encoder[S any] interface {
	AppendKey(dst []byte, s S) []byte
}

// Symmetric is implemented by models with interchangeable components. Canonical
// maps s to the representative of its orbit under the symmetry group: every member
// of an orbit must map to the same representative, and the group must preserve the
// transition relation and the properties, or symmetry reduction is unsound.
type Symmetric[S any] interface {
	Canonical(s S) S
}

// StateDescriber is implemented by models that render states and actions for
// counterexamples; without it the checker prints them with fmt's %v.
type StateDescriber[S, A any] interface {
	DescribeState(s S) string
	DescribeAction(a A) string
}

// Property is a named condition on states. Its Kind is property.Always (an
// invariant: it must hold in every reachable state; a violation is reported
// with a path to the first violating state found) or property.Sometimes
// (reachability: some reachable state must satisfy it; a witness path is
// reported, and a complete search that finds none fails, so a model that
// never exercises the interesting case cannot pass silently) or
// property.Eventually (the condition holds again and again on every weakly
// fair run: checked with Options.Liveness by a lasso search, see lasso.go).
// AtEnd properties are not explored.
type Property[S any] struct {
	Name      string
	Kind      property.Kind
	Condition func(s S) bool
}

// Always returns an invariant named name.
func Always[S any](name string, condition func(s S) bool) Property[S] {
	return Property[S]{Name: name, Kind: property.Always, Condition: condition}
}

// Sometimes returns a reachability property named name.
func Sometimes[S any](name string, condition func(s S) bool) Property[S] {
	return Property[S]{Name: name, Kind: property.Sometimes, Condition: condition}
}

// Eventually returns a liveness property named name (Options.Liveness).
func Eventually[S any](name string, condition func(s S) bool) Property[S] {
	return Property[S]{Name: name, Kind: property.Eventually, Condition: condition}
}
