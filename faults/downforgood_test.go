package faults_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/orrery-sim/orrery/faults"
	"github.com/orrery-sim/orrery/scheduler"
	"github.com/orrery-sim/orrery/sim"
)

// TestDownForGood: a swarm run keeps up to DownForGoodMax server boxes,
// drawn per seed, down through the liveness phase and brings every other
// box back; the banner names them; the draw uses its own purpose after the
// plan, so the plan's choices are those of a run without it; and every
// count from 0 to the maximum is drawn by some seed.
func TestDownForGood(t *testing.T) {
	const mostDown = 2
	counts := map[int]bool{}
	for seed := uint64(1); seed <= 40; seed++ {
		rec := &scheduler.Recorder{Inner: scheduler.NewSeeded(seed)}
		c := newClusterWith(rec, 5, 1, sim.DefaultNetwork)
		opts, err := faults.Install(c.w, faults.Setup{Spec: "swarm", Servers: c.servers, Tolerates: 2, Safety: 2 * sim.Second, DownForGoodMax: mostDown})
		if err != nil {
			t.Fatal(err)
		}
		without := &scheduler.Recorder{Inner: scheduler.NewSeeded(seed)}
		c0 := newClusterWith(without, 5, 1, sim.DefaultNetwork)
		if _, err := faults.Install(c0.w, faults.Setup{Spec: "swarm", Servers: c0.servers, Tolerates: 2, Safety: 2 * sim.Second}); err != nil {
			t.Fatal(err)
		}
		var fault []scheduler.Choice
		for _, ch := range rec.Log {
			if ch.Purpose != scheduler.Swarm {
				fault = append(fault, ch)
			}
		}
		if diff := cmp.Diff(without.Log, fault); diff != "" {
			t.Fatalf("seed %d: the plan's choices change with down-for-good (-without +with):\n%s", seed, diff)
		}
		var down []string
		for _, o := range opts {
			if o.Key == "fault.downforgood" {
				if v, _, _ := strings.Cut(o.Value, " (of"); v != "none" {
					down = strings.Fields(v)
				}
			}
		}
		if len(down) > mostDown {
			t.Fatalf("seed %d: %d boxes down for good, at most %d", seed, len(down), mostDown)
		}
		counts[len(down)] = true
		c.w.Run(2*sim.Second, sim.Second)
		for _, b := range c.w.Boxes() {
			if up, want := c.w.BoxUp(b), !slices.Contains(down, b); up != want {
				t.Errorf("seed %d: box %s up=%v after the liveness phase, want %v (down for good: %v)", seed, b, up, want, down)
			}
		}
	}
	for k := 0; k <= mostDown; k++ {
		if !counts[k] {
			t.Errorf("no seed in 1..40 kept %d boxes down for good", k)
		}
	}
}
