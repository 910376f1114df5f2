package simtest

import (
	"bytes"
	"testing"

	"github.com/orrery-sim/orrery/harness"
	"github.com/orrery-sim/orrery/sim"
)

// AssertCaught runs seeds 1..seedsMax of cfg (a run with a planted bug) on every
// core and fails t unless the lowest failing seed is a safety violation of the
// named property. It returns that seed's outcome, for the bug tables.
func AssertCaught(t testing.TB, cfg harness.Config, property string, seedsMax uint64) *harness.Outcome {
	t.Helper()
	s, err := harness.FirstFailure(cfg, 1, seedsMax, 0)
	if err != nil {
		t.Fatal(err)
	}
	out := s.Failure
	if out == nil {
		t.Fatalf("%s: bug %q not caught within %d seeds", cfg.Protocol, cfg.Bug, seedsMax)
	}
	r := out.Result
	if r.Verdict != sim.VerdictSafety || r.Property != property {
		t.Fatalf("seed %d: caught by %s (%s), want %s: %s", out.Config.Seed, r.Property, r.Verdict, property, r.Reason)
	}
	t.Logf("%s: caught at seed %d after %d events: %s", cfg.Bug, out.Config.Seed, r.Events, r.Reason)
	return out
}

// AssertDeterministic runs cfg twice and fails t unless the two trace files are
// byte for byte the same.
func AssertDeterministic(t testing.TB, cfg harness.Config) {
	t.Helper()
	var a, b bytes.Buffer
	for _, buf := range []*bytes.Buffer{&a, &b} {
		if _, err := harness.Run(cfg, harness.RunOptions{Trace: buf}); err != nil {
			t.Fatal(err)
		}
	}
	if a.Len() == 0 || !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatalf("%s seed %d: same configuration, different traces", cfg.Protocol, cfg.Seed)
	}
}
