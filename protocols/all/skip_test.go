package all_test

import (
	"testing"

	"github.com/orrery-sim/orrery/harness"
	_ "github.com/orrery-sim/orrery/protocols/all"
	"github.com/orrery-sim/orrery/sim"
)

// TestClientsSkip: every protocol that declares Skips leaves out a skipped
// operation (one fewer in the history, the cap still counting it) and
// starts the next one no earlier than the skipped one's duration after it
// would have started; every other protocol refuses a skip list.
func TestClientsSkip(t *testing.T) {
	for _, name := range []string{"abd", "paxos", "raft", "chat", "twopc", "ovid"} {
		cfg := harness.Config{Protocol: name, Seed: 1, Clients: 1, Faults: "none", Ops: 3, Safety: 2 * sim.Second, FixedCluster: true}
		_, p, err := cfg.Resolve()
		if err != nil {
			t.Fatal(err)
		}
		skipped := cfg
		skipped.Skip = "c1#2+300ms"
		if !p.Skips {
			if _, _, err := skipped.Resolve(); err == nil {
				t.Errorf("%s: a skip list was accepted by a protocol whose clients do not skip", name)
			}
			continue
		}
		calls := func(cfg harness.Config) []sim.Time {
			out, err := harness.Run(cfg, harness.RunOptions{})
			if err != nil {
				t.Fatal(err)
			}
			var calls []sim.Time
			for _, op := range out.World.History().Ops {
				if out.World.Name(op.Client) == "c1" && op.Call < cfg.Safety {
					calls = append(calls, op.Call)
				}
			}
			return calls
		}
		all, some := calls(cfg), calls(skipped)
		if len(all) != 3 || len(some) != 2 {
			t.Errorf("%s: %d operations, %d with c1#2 skipped; want 3 and 2", name, len(all), len(some))
			continue
		}
		if some[0] != all[0] || some[1]-some[0] < 300*sim.Millisecond {
			t.Errorf("%s: operations at %v, with c1#2 skipped for 300ms at %v", name, all, some)
		}
	}
}
