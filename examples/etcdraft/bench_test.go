package etcdraft_test

import (
	"testing"

	"github.com/orrery-sim/orrery/harness"
)

// BenchmarkSeed is one swarm run of etcdraft, for seeds/s.
func BenchmarkSeed(b *testing.B) {
	for i := range b.N {
		out, err := harness.Run(harness.Config{Protocol: "etcdraft", Seed: uint64(i + 1), Faults: "swarm"}, harness.RunOptions{})
		if err != nil || out.Result.Failed() {
			b.Fatalf("seed %d: %v %v", i+1, err, out.Result.Verdict)
		}
	}
}
