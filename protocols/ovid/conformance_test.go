package ovid

import (
	"bytes"
	"maps"
	"slices"
	"testing"

	"github.com/orrery-sim/orrery/harness"
	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/simtest"
	"github.com/orrery-sim/orrery/workload/kv"
)

// examplesSeeds is how many seeds each example runs clean in the tests.
const examplesSeeds = 30

// TestConformance is the suite every protocol passes, over every example
// cluster (the default one is examples/kvs.json), and the planted bug on the
// default cluster.
func TestConformance(t *testing.T) {
	p, err := protocols.Lookup("ovid")
	if err != nil {
		t.Fatal(err)
	}
	golden := []harness.Config{{Seed: 1}, {Seed: 3, Faults: "swarm"}}
	var sweeps []simtest.Sweep
	ex := examples(t)
	names := slices.Sorted(maps.Keys(ex))
	for _, name := range names {
		text := ex[name]
		cfg := harness.Config{Faults: "swarm", Params: map[string]string{ParamCluster: string(text)}}
		sweeps = append(sweeps, simtest.Sweep{Config: cfg, Seeds: examplesSeeds})
		if !bytes.Equal(text, DefaultCluster) { // the default is pinned above
			cfg.Seed = 3
			golden = append(golden, cfg)
		}
	}
	golden = append(golden, harness.Config{Seed: 2, Faults: "swarm", Bug: BugAckBeforeSync})
	bugs := []simtest.PlantedBug{{Bug: BugAckBeforeSync, Property: kv.PropReadFresh, SeedsMax: 20}}
	simtest.Conformance(t, simtest.Suite{Protocol: p, Golden: golden, Sweeps: sweeps, Bugs: bugs})
}
