package ovid

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/orrery-sim/orrery/harness"
)

// TestOpsCapsEachClient: with Ops set, each kv-client of the default cluster
// invokes at most that many operations, tty lines included (c1's tty sends
// five), and the run still passes: a capped client has nothing left to do, so
// the progress check does not wait for it. Without faults every client
// reaches the cap; under swarm faults none exceeds it.
func TestOpsCapsEachClient(t *testing.T) {
	tests := []struct {
		faults string
		seeds  uint64
		ops    int
		exact  bool // every client issues exactly ops operations
	}{
		{"none", 3, 1, true},
		{"none", 3, 3, true},
		{"none", 3, 7, true},
		{"swarm", 10, 2, false},
	}
	for _, tt := range tests {
		for seed := uint64(1); seed <= tt.seeds; seed++ {
			out, err := harness.Run(harness.Config{Protocol: "ovid", Seed: seed, Faults: tt.faults, Ops: tt.ops}, harness.RunOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if r := out.Result; r.Failed() {
				t.Fatalf("%s seed %d ops %d: %s %s: %s", tt.faults, seed, tt.ops, r.Verdict, r.Property, r.Reason)
			}
			got := map[string]int{}
			for _, op := range out.World.History().Ops {
				got[out.World.Name(op.Client)]++
			}
			for client, n := range got {
				if n > tt.ops {
					t.Errorf("%s seed %d: %s invoked %d operations, cap %d", tt.faults, seed, client, n, tt.ops)
				}
			}
			if want := map[string]int{"c1": tt.ops, "c2": tt.ops, "c3": tt.ops}; tt.exact {
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("%s seed %d ops %d: operations per client (-want +got):\n%s", tt.faults, seed, tt.ops, diff)
				}
			}
		}
	}
}
