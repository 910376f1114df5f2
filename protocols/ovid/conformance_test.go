package ovid

import (
	"testing"

	"github.com/orrery-sim/orrery/harness"
	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/simtest"
)

// goldenRuns are the runs whose trace hashes testdata/golden/trace-hashes.txt pins:
// the default cluster (examples/kvs.json) clean and under faults, and the other
// example clusters.
func goldenRuns(t *testing.T) []harness.Config {
	runs := []harness.Config{{Seed: 1}, {Seed: 3, Faults: "swarm"}}
	ex := examples(t)
	for _, name := range []string{"chat.json", "multicast.json"} {
		text, ok := ex[name]
		if !ok {
			t.Fatalf("example %s is missing", name)
		}
		runs = append(runs, harness.Config{Seed: 3, Faults: "swarm", Params: map[string]string{ParamCluster: string(text)}})
	}
	return runs
}

func TestGoldenHashes(t *testing.T) {
	p, err := protocols.Lookup("ovid")
	if err != nil {
		t.Fatal(err)
	}
	simtest.AssertGoldenHashes(t, p, simtest.GoldenFile, goldenRuns(t))
}
