package chat_test

import (
	"testing"

	"github.com/orrery-sim/orrery/harness"
	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/protocols/chat"
	"github.com/orrery-sim/orrery/simtest"
)

// goldenRuns are the runs whose trace hashes testdata/golden/trace-hashes.txt pins:
// clean runs and each planted bug at its first failing seed without faults,
// and no-hold-back's under swarm faults (README).
var goldenRuns = []harness.Config{
	{Seed: 1},
	{Seed: 99, Faults: "swarm"},
	{Seed: 1, Bug: chat.BugNoDedupe},
	{Seed: 13, Bug: chat.BugNoHoldBack},
	{Seed: 1, Faults: "swarm", Bug: chat.BugNoHoldBack},
}

func TestGoldenHashes(t *testing.T) {
	p, err := protocols.Lookup("chat")
	if err != nil {
		t.Fatal(err)
	}
	simtest.AssertGoldenHashes(t, p, simtest.GoldenFile, goldenRuns)
}
