// Package property is the one vocabulary of property kinds that simulation
// (sim.Property) and exploration (explore.Property) share, after Stateright:
// always (an invariant of every state), sometimes (must hold at least once: a
// run or a search that never exercised it fails), eventually (must hold by
// the end of the liveness phase) and at-end (judged once on the finished run).
package property

import "fmt"

// Kind says when a property is judged.
type Kind uint8

// The kinds.
const (
	// Always must hold after every event, in every reachable state.
	Always Kind = iota
	// Sometimes must hold after at least one event of the run (in some
	// reachable state); a campaign in which it never held did not exercise
	// what it claims to test.
	Sometimes
	// Eventually must hold by the end of the liveness phase; until then its
	// error says what is still pending.
	Eventually
	// AtEnd is a safety check run once on the finished run (linearizability).
	AtEnd
	kindCount
)

var kindNames = [kindCount]string{"always", "sometimes", "eventually", "at-end"}

func (k Kind) String() string {
	if k < kindCount {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", uint8(k))
}

// Parse is the inverse of Kind.String.
func Parse(s string) (Kind, error) {
	for i, n := range kindNames {
		if n == s {
			return Kind(i), nil
		}
	}
	return 0, fmt.Errorf("unknown property kind %q (known: always, sometimes, eventually, at-end)", s)
}
