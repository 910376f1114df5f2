package primarybackup_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/orrery-sim/orrery/examples/primarybackup"
	"github.com/orrery-sim/orrery/harness"
	"github.com/orrery-sim/orrery/simtest"
	"pgregory.net/rapid"
)

// workload draws a script of 1 to 8 operations on two keys; every put writes a
// value of its own, so a read tells which write it saw. It shrinks to fewer
// operations, to key x, and to reads from the primary.
func workload(t *rapid.T) map[string]string {
	op := rapid.Custom(func(t *rapid.T) primarybackup.Op {
		op := primarybackup.Op{Get: rapid.Bool().Draw(t, "get"), Key: rapid.SampledFrom([]string{"x", "y"}).Draw(t, "key")}
		if op.Get {
			op.Replica = rapid.SampledFrom([]string{"", "n2", "n3"}).Draw(t, "replica")
		}
		return op
	})
	script := rapid.Map(rapid.SliceOfN(op, 1, 8), func(ops []primarybackup.Op) string {
		for i := range ops {
			if !ops[i].Get {
				ops[i].Value = strconv.Itoa(i + 1)
			}
		}
		return primarybackup.FormatWorkload(ops)
	})
	return map[string]string{"workload": script.Draw(t, "workload")}
}

func spec(bug string) simtest.Spec {
	return simtest.Spec{
		Protocol:   primarybackup.Protocol,
		Config:     harness.Config{Bug: bug},
		Params:     workload,
		Checks:     200,
		ShrinkTime: 20 * time.Second,
	}
}

// TestPrimaryBackup: the correct protocol keeps its promise under every drawn
// fault plan, workload and schedule.
func TestPrimaryBackup(t *testing.T) {
	simtest.Check(t, spec(""))
}

// TestEarlyAckIsFound: with the planted bug, the search finds a read that
// misses an acknowledged write and shrinks it to a small counterexample: a few
// operations and at most one fault episode.
func TestEarlyAckIsFound(t *testing.T) {
	f := simtest.Find(t, spec(primarybackup.BugEarlyAck))
	if f == nil {
		t.Fatal("early-ack was not found")
	}
	ops, err := primarybackup.ParseWorkload(f.Config.Params["workload"])
	if err != nil {
		t.Fatal(err)
	}
	if f.Result.Property != "read-acknowledged-writes" || len(ops) > 3 || len(f.Plan()) > 2 {
		t.Fatalf("want a small read-acknowledged-writes failure, got:\n%s\nworkload: %s", f, f.Config.Params["workload"])
	}
	t.Logf("%s\nworkload: %s", f, f.Config.Params["workload"])
}
