package explore

import (
	"errors"
	"slices"
)

// Partial-order reduction with sleep sets (Godefroid, "Partial-Order Methods
// for the Verification of Concurrent Systems", ch. 5). Two actions are
// independent in a state when executing them in either order reaches the
// same state; a search that has explored a from s need not explore a again
// from s·b when b was explored after a and is independent of it, since
// s·b·a = s·a·b is reached through s·a. The sleep set of a state lists the
// actions it need not explore for that reason. Sleep sets never remove a
// state, only transitions: the reduced search stores exactly the states of
// the full search, so every invariant, reachability goal and deadlock
// verdict is the same, and BFS stores every state at the same depth (all
// interleavings of a Mazurkiewicz trace have its length). What shrinks is
// Generated, the successors computed, and with it the time.
//
// Soundness with state caching. A state reached along several paths gets the
// intersection of their sleep sets; BFS intersects over every path of the
// level where the state is first stored (all of its shortest paths), and
// never revisits it later: every state at distance d is reached along a
// shortest path whose prefixes are all stored at their own distance, with
// sleep sets no larger than an uncached sleep-set search would give them, so
// the standard tree argument carries over. DFS stores the sleep set with
// each state and, when it meets the state again with a smaller one,
// explores the actions in the difference (Godefroid's algorithm 6).

// Move is an action as the reduction records it in a sleep set: the
// action's identity across states and what the model noted when it was
// taken.
type Move struct {
	// Key identifies the action across states (Independence.ActionKey).
	Key uint64
	// Info is what Independence.Taken recorded when the action was taken.
	Info uint64
}

// Independence is implemented by models that support partial-order reduction
// (Options.Reduce).
type Independence[S, A any] interface {
	// ActionKey identifies a across states: an action with the same key
	// enabled in a later state is the same transition of the same component.
	ActionKey(a A) uint64
	// Taken is called after a was taken from s to next; what it returns is
	// kept with the action in sleep sets and given back to Independent
	// (e.g. how many messages the step sent, for a bound on messages in
	// flight).
	Taken(s S, a A, next S) uint64
	// Independent reports whether moves a and b, both enabled in s (each
	// taken before, from s or from a state whose difference from s is only
	// actions independent of it), commute in s. It must be conservative:
	// true only when b is enabled in s·a, a in s·b, and s·a·b = s·b·a; and,
	// for a Bounded model, when s·a and s·b are within bounds then so is
	// s·a·b (a bound on each component alone has this property; a global
	// bound such as a maximum of messages in flight needs Info to check it).
	// Properties must be functions of states (or, for transition checks
	// a model runs itself, of the component that stepped).
	Independent(s S, a, b Move) bool
}

// ErrNoIndependence is returned for Options.Reduce on a model that does not
// implement Independence; ErrReduceSymmetry for Reduce with Symmetry.
var (
	ErrNoIndependence = errors.New("explore: partial-order reduction needs a model that implements Independence")
	ErrReduceSymmetry = errors.New("explore: partial-order reduction and symmetry reduction cannot be combined")
)

// sleepSet is a set of steps sorted by key. Slices handed to a state are
// never modified afterwards, except in place by intersect on a candidate the
// caller owns.
type sleepSet []Move

func stepOrder(a, b Move) int {
	switch {
	case a.Key < b.Key:
		return -1
	case a.Key > b.Key:
		return 1
	case a.Info < b.Info:
		return -1
	case a.Info > b.Info:
		return 1
	}
	return 0
}

// has reports whether an action with key is asleep.
func (z sleepSet) has(key uint64) bool {
	_, found := slices.BinarySearchFunc(z, key, func(s Move, k uint64) int {
		switch {
		case s.Key < k:
			return -1
		case s.Key > k:
			return 1
		}
		return 0
	})
	return found
}

// intersect keeps in z (in place) the steps also in other and returns the
// shortened set. Two steps are equal when key and info are: keeping fewer is
// always sound.
func (z sleepSet) intersect(other sleepSet) sleepSet {
	n, j := 0, 0
	for _, s := range z {
		for j < len(other) && stepOrder(other[j], s) < 0 {
			j++
		}
		if j < len(other) && other[j] == s {
			z[n] = s
			n++
		}
	}
	return z[:n]
}

// subsetOf reports whether every step of z is in other.
func (z sleepSet) subsetOf(other sleepSet) bool {
	j := 0
	for _, s := range z {
		for j < len(other) && stepOrder(other[j], s) < 0 {
			j++
		}
		if j == len(other) || other[j] != s {
			return false
		}
	}
	return true
}

// minus returns the steps of z not in other, in a new slice.
func (z sleepSet) minus(other sleepSet) sleepSet {
	var out sleepSet
	j := 0
	for _, s := range z {
		for j < len(other) && stepOrder(other[j], s) < 0 {
			j++
		}
		if j == len(other) || other[j] != s {
			out = append(out, s)
		}
	}
	return out
}

// reducer computes sleep sets for one search.
type reducer[S, A any] struct {
	ind Independence[S, A]
}

// expansion is the sleep-set bookkeeping while one state is expanded: the
// state's own sleep set and the steps taken from it so far whose successors
// are expanded (a step into a state outside the bounds is not: paths through
// it do not continue, so it cannot stand in for the paths it would put to
// sleep).
type expansion struct {
	sleep sleepSet
	done  []Move
}

// childSleep appends to dst, sorted, the sleep set of the successor reached
// by taken from s: the steps asleep in s or taken before it that are
// independent of it.
func (r *reducer[S, A]) childSleep(dst []Move, s S, e *expansion, taken Move) []Move {
	start := len(dst)
	for _, z := range e.sleep {
		if r.ind.Independent(s, z, taken) {
			dst = append(dst, z)
		}
	}
	for _, z := range e.done {
		if r.ind.Independent(s, z, taken) {
			dst = append(dst, z)
		}
	}
	slices.SortFunc(dst[start:], stepOrder)
	return dst
}
