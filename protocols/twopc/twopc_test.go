package twopc_test

import (
	"testing"

	"github.com/orrery-sim/orrery/harness"
	"github.com/orrery-sim/orrery/sim"
)

// TestAgentStateIsExplorable: the model checker's generic fallback clones and
// fingerprints every agent mid-run, and a clone fingerprints alike.
func TestAgentStateIsExplorable(t *testing.T) {
	out, err := harness.Run(harness.Config{Protocol: "twopc", Seed: 5, Faults: "swarm"}, harness.RunOptions{Until: 400})
	if err != nil {
		t.Fatal(err)
	}
	w := out.World
	for id := sim.NodeID(0); int(id) < w.Len(); id++ {
		a := w.Agent(id)
		if a == nil {
			continue
		}
		if got, want := sim.FingerprintAgent(sim.CloneAgent(a)), sim.FingerprintAgent(a); got != want {
			t.Errorf("%s: clone fingerprints %x, original %x", w.Name(id), got, want)
		}
	}
}
