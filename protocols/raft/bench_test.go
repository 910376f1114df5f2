package raft_test

import (
	"testing"
	"time"

	"github.com/orrery-sim/orrery/harness"
)

// BenchmarkRaftRun is the default run (5 servers, 3 clients, swarm faults), one
// seed per iteration; it reports events/s and seeds/s.
func BenchmarkRaftRun(b *testing.B) {
	var events uint64
	start := time.Now()
	for i := 0; i < b.N; i++ {
		out, err := harness.Run(harness.Config{Protocol: "raft", Seed: uint64(i + 1), Faults: "swarm"}, harness.RunOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if out.Result.Failed() {
			b.Fatalf("seed %d: %s: %s", i+1, out.Result.Property, out.Result.Reason)
		}
		events += out.Result.Events
	}
	elapsed := time.Since(start).Seconds()
	b.ReportMetric(float64(events)/elapsed, "events/s")
	b.ReportMetric(float64(b.N)/elapsed, "seeds/s")
	b.ReportMetric(float64(events)/float64(b.N), "events/seed")
}
