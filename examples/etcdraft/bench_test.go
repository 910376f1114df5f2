package etcdraft_test

import (
	"testing"

	"github.com/orrery-sim/orrery/examples/etcdraft"
	"github.com/orrery-sim/orrery/harness"
	_ "github.com/orrery-sim/orrery/protocols/raft" // the built-in Raft, for comparison
)

// BenchmarkSeed runs swarm seeds of etcd's raft and of Orrery's built-in Raft
// (same cluster, clients, phases and nemesis): ns/op is the cost of a seed.
func BenchmarkSeed(b *testing.B) {
	for _, base := range []harness.Config{{Impl: etcdraft.Protocol, Protocol: "etcdraft"}, {Protocol: "raft"}} {
		b.Run(base.Protocol, func(b *testing.B) {
			for i := range b.N {
				cfg := base
				cfg.Seed, cfg.Faults = uint64(i+1), "swarm"
				out, err := harness.Run(cfg, harness.RunOptions{})
				if err != nil || out.Result.Failed() {
					b.Fatalf("seed %d: %v %v", i+1, err, out.Result.Verdict)
				}
			}
		})
	}
}
