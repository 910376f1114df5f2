package faults_test

import (
	"testing"

	"github.com/orrery-sim/orrery/faults"
	"github.com/orrery-sim/orrery/sim"
)

// BenchmarkInstallSwarm is the fixed cost of drawing and scheduling a swarm plan
// for a 10s safety phase on five servers.
func BenchmarkInstallSwarm(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		c := newCluster(b, uint64(i+1), 5, 0, sim.DefaultNetwork)
		if _, err := faults.Install(c.w, faults.Options{Spec: "swarm", Servers: c.servers, Tolerates: 2, Safety: 10 * sim.Second}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkInstallNone is the baseline of BenchmarkInstallSwarm: the same world,
// no faults.
func BenchmarkInstallNone(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		c := newCluster(b, uint64(i+1), 5, 0, sim.DefaultNetwork)
		if _, err := faults.Install(c.w, faults.Options{Spec: "none", Servers: c.servers, Tolerates: 2, Safety: 10 * sim.Second}); err != nil {
			b.Fatal(err)
		}
	}
}
