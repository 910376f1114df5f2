package faults_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/orrery-sim/orrery/faults"
	"github.com/orrery-sim/orrery/scheduler"
	"github.com/orrery-sim/orrery/sim"
)

// TestDownForGood: the boxes of the servers listed in DownForGood stay down
// through the liveness phase, crashed at its start if they were up; every
// other box comes back; the banner names them; and the plan draws the same
// choices as without them.
func TestDownForGood(t *testing.T) {
	for seed := uint64(1); seed <= 10; seed++ {
		rec := &scheduler.Recorder{Inner: scheduler.NewSeeded(seed)}
		c := newClusterWith(rec, 5, 1, sim.DefaultNetwork)
		down := []sim.NodeID{c.servers[1], c.servers[3]}
		opts, err := faults.Install(c.w, faults.Options{Spec: "swarm", Servers: c.servers, Tolerates: 2, Safety: 2 * sim.Second, DownForGood: down})
		if err != nil {
			t.Fatal(err)
		}
		without := &scheduler.Recorder{Inner: scheduler.NewSeeded(seed)}
		c0 := newClusterWith(without, 5, 1, sim.DefaultNetwork)
		if _, err := faults.Install(c0.w, faults.Options{Spec: "swarm", Servers: c0.servers, Tolerates: 2, Safety: 2 * sim.Second}); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(without.Log, rec.Log); diff != "" {
			t.Fatalf("seed %d: the plan's choices change with down-for-good (-without +with):\n%s", seed, diff)
		}
		if last := opts[len(opts)-1]; last.Key != "fault.downforgood" || last.Value != "n2 n4: stay down in the liveness phase" {
			t.Errorf("seed %d: banner ends with %s=%q", seed, last.Key, last.Value)
		}
		c.w.Run(2*sim.Second, sim.Second)
		for i, id := range c.servers {
			b := c.w.BoxOf(id)
			if up, want := c.w.BoxUp(b), i != 1 && i != 3; up != want {
				t.Errorf("seed %d: box %s up=%v after the liveness phase, want %v", seed, b, up, want)
			}
		}
	}
}
