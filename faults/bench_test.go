package faults_test

import (
	"testing"
	"time"

	"github.com/orrery-sim/orrery/faults"
	"github.com/orrery-sim/orrery/harness"
	_ "github.com/orrery-sim/orrery/protocols/chat"
	"github.com/orrery-sim/orrery/sim"
)

// BenchmarkChatFaults runs chat seed after seed without faults and under the
// swarm nemesis, alternating, and reports the events per second of each and
// their ratio: the cost per event of drawing, scheduling and applying faults.
func BenchmarkChatFaults(b *testing.B) {
	var events [2]uint64
	var wall [2]time.Duration
	for i := 0; i < b.N; i++ {
		for m, spec := range []string{"none", "swarm"} {
			start := time.Now()
			out, err := harness.Run(harness.Config{Protocol: "chat", Seed: uint64(i + 1), Faults: spec}, harness.RunOptions{})
			wall[m] += time.Since(start)
			if err != nil {
				b.Fatal(err)
			}
			if out.Result.Failed() {
				b.Fatalf("seed %d, faults %s: %s: %s", i+1, spec, out.Result.Property, out.Result.Reason)
			}
			events[m] += out.Result.Events
		}
	}
	none := float64(events[0]) / wall[0].Seconds()
	swarm := float64(events[1]) / wall[1].Seconds()
	b.ReportMetric(none, "none-events/s")
	b.ReportMetric(swarm, "swarm-events/s")
	b.ReportMetric(100*(none/swarm-1), "overhead-%")
}

// BenchmarkProbeFaults does the same on a cluster of probes, whose handlers cost
// the same with or without faults (a restart re-reads nothing), so the ratio is
// the fault machinery's own cost per event: drawing the plan, applying it, and
// the loss and duplication draws it makes the network do.
func BenchmarkProbeFaults(b *testing.B) {
	var events [2]uint64
	var wall [2]time.Duration
	for i := 0; i < b.N; i++ {
		for m, spec := range []string{"none", "swarm"} {
			start := time.Now()
			c := newCluster(b, uint64(i+1), 5, 0, sim.DefaultNetwork)
			if _, err := faults.Install(c.w, faults.Options{Spec: spec, Servers: c.servers, Tolerates: 2, Safety: 10 * sim.Second}); err != nil {
				b.Fatal(err)
			}
			r := c.w.Run(10*sim.Second, sim.Second)
			wall[m] += time.Since(start)
			events[m] += r.Events
		}
	}
	none := float64(events[0]) / wall[0].Seconds()
	swarm := float64(events[1]) / wall[1].Seconds()
	b.ReportMetric(none, "none-events/s")
	b.ReportMetric(swarm, "swarm-events/s")
	b.ReportMetric(100*(none/swarm-1), "overhead-%")
}
