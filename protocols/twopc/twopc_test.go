package twopc_test

import (
	"testing"

	"github.com/orrery-sim/orrery/harness"
	"github.com/orrery-sim/orrery/protocols/twopc"
	"github.com/orrery-sim/orrery/sim"
	"github.com/orrery-sim/orrery/simtest"
)

func run(t *testing.T, cfg harness.Config) *harness.Outcome {
	t.Helper()
	cfg.Protocol = "twopc"
	out, err := harness.Run(cfg, harness.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestCleanRunsPass(t *testing.T) {
	for _, cfg := range []harness.Config{
		{Seed: 1, Faults: "none"},
		{Seed: 2, Faults: "swarm"},
		{Seed: 3, Faults: "swarm", Nodes: 5, Clients: 4},
		{Seed: 4, Faults: "swarm", Nodes: 1},
	} {
		out := run(t, cfg)
		if r := out.Result; r.Failed() {
			t.Fatalf("%+v: %s %s: %s\n%s", cfg, r.Verdict, r.Property, r.Reason, r.Stack)
		}
		if ops := len(out.World.History().Ops); ops < 50 {
			t.Errorf("%+v: only %d transactions", cfg, ops)
		}
	}
}

func TestDeterministicTrace(t *testing.T) {
	simtest.AssertDeterministic(t, harness.Config{Protocol: "twopc", Seed: 7, Faults: "swarm"})
}

// TestPlantedBugsAreCaught: each planted bug is caught under the swarm
// nemesis by the checker named, within the seed budget (BUGS.md records the
// first failing seed).
func TestPlantedBugsAreCaught(t *testing.T) {
	tests := []struct {
		bug, property string
		seedsMax      uint64
	}{
		{twopc.BugCommitWithoutVotes, twopc.PropValidity, 50},
		{twopc.BugForgetYesVote, twopc.PropLogDurable, 200},
		{twopc.BugDecisionChanges, twopc.PropAtomicity, 50},
	}
	for _, tt := range tests {
		t.Run(tt.bug, func(t *testing.T) {
			simtest.AssertCaught(t, harness.Config{Protocol: "twopc", Bug: tt.bug, Faults: "swarm"}, tt.property, tt.seedsMax)
		})
	}
}

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
