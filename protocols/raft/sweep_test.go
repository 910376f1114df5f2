package raft_test

import (
	"testing"

	"github.com/orrery-sim/orrery/harness"
)

// firstFailure returns the lowest failing seed of from..to (nil if none fails)
// and how many events the passing seeds before it took.
func firstFailure(t *testing.T, cfg harness.Config, from, to uint64) (*harness.Outcome, uint64) {
	t.Helper()
	s, err := harness.FirstFailure(cfg, from, to, 0)
	if err != nil {
		t.Fatal(err)
	}
	return s.Failure, s.EventsBefore
}
