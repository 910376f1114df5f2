package kv_test

import (
	"strings"
	"testing"

	"github.com/orrery-sim/orrery/sim"
	"github.com/orrery-sim/orrery/workload/kv"
)

// TestHistoryChecks: read-fresh and exactly-once hold against a correct
// store, and each fails, before linearizability is judged at the end, on a
// store with the matching defect.
func TestHistoryChecks(t *testing.T) {
	tests := []struct {
		name   string
		defect func(c *cluster)
		want   string // property; "" for none
		reason string // a part of the reason
	}{
		{"correct", func(*cluster) {}, "", ""},
		{"retried append applied twice", func(c *cluster) { c.appendTwice = true }, kv.PropExactlyOnce, "took effect twice"},
		{"gets from a stale copy", func(c *cluster) { c.staleGets = true }, kv.PropReadFresh, "but not c"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ""
			for seed := uint64(1); seed <= 20 && got == ""; seed++ {
				c := newCluster()
				tt.defect(c)
				w := world(seed, 3, 0, c)
				kv.AddHistoryChecks(w, kv.AccessOf)
				w.SetNetwork(sim.NetworkConfig{DelayMin: sim.Millisecond, DelayMax: 200 * sim.Millisecond})
				w.SetLoss(0, 200_000)
				r := w.Run(3*sim.Second, 2*sim.Second)
				if r.Failed() {
					got = r.Property
					if !strings.Contains(r.Reason, tt.reason) {
						t.Errorf("seed %d: %s: reason %q lacks %q", seed, r.Property, r.Reason, tt.reason)
					}
				}
			}
			if got != tt.want {
				t.Errorf("first failing property in seeds 1..20: %q, want %q", got, tt.want)
			}
		})
	}
}
