package abd

import (
	"bytes"
	"testing"

	"github.com/orrery-sim/orrery/harness"
	"github.com/orrery-sim/orrery/sim"
	"github.com/orrery-sim/orrery/workload/kv"
)

func run(t *testing.T, cfg harness.Config, trace *bytes.Buffer) *harness.Outcome {
	t.Helper()
	cfg.Protocol = "abd"
	if cfg.Faults == "" {
		cfg.Faults = "swarm"
	}
	o := harness.RunOptions{}
	if trace != nil {
		o.Trace = trace
	}
	out, err := harness.Run(cfg, o)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestDeterminism(t *testing.T) {
	for _, seed := range []uint64{1, 7} {
		var a, b bytes.Buffer
		ra, rb := run(t, harness.Config{Seed: seed}, &a), run(t, harness.Config{Seed: seed}, &b)
		if !bytes.Equal(a.Bytes(), b.Bytes()) || ra.Result.Hash != rb.Result.Hash {
			t.Fatalf("seed %d: two runs differ (hash %s vs %s)", seed, ra.Result.HashString(), rb.Result.HashString())
		}
	}
}

// sweepSeeds is the clean sweep the tests run; simrun -seeds 1-2000 runs more.
const sweepSeeds = 200

func TestCleanSweep(t *testing.T) {
	ops := 0
	for seed := uint64(1); seed <= sweepSeeds; seed++ {
		out := run(t, harness.Config{Seed: seed}, nil)
		if r := out.Result; r.Failed() {
			t.Fatalf("seed %d: %s: %s", seed, r.Property, r.Reason)
		}
		ops += len(out.World.History().Ops)
	}
	if ops < sweepSeeds*100 {
		t.Fatalf("only %d operations in %d runs: the workload barely ran", ops, sweepSeeds)
	}
}

// bugBudgets: each planted bug is caught by its checker under the default swarm
// faults within this many seeds (the table in BUGS.md).
var bugBudgets = []struct {
	bug      string
	seedsMax uint64
	property string
}{
	{BugSkipWriteBack, 20, PropLinearizable},
	{BugMinorityQuorum, 3, kv.PropReadFresh},
}

func TestBugsFound(t *testing.T) {
	for _, b := range bugBudgets {
		t.Run(b.bug, func(t *testing.T) {
			for seed := uint64(1); seed <= b.seedsMax; seed++ {
				r := run(t, harness.Config{Seed: seed, Bug: b.bug}, nil).Result
				if !r.Failed() {
					continue
				}
				if r.Verdict != sim.VerdictSafety || r.Property != b.property {
					t.Fatalf("seed %d: %s by %s, want a safety violation of %s: %s", seed, r.Verdict, r.Property, b.property, r.Reason)
				}
				t.Logf("%s: caught by %s at seed %d after %d events", b.bug, r.Property, seed, r.Events)
				return
			}
			t.Fatalf("%s not caught in %d seeds", b.bug, b.seedsMax)
		})
	}
}
