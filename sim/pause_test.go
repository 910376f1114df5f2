package sim_test

import (
	"testing"

	"github.com/orrery-sim/orrery/sim"
)

// TestPauseBeforeStart: a box paused before its Start ran defers the Start and
// every message sent to it, and handles them in order on resume. (The engine
// once re-queued such messages at the same instant forever; simtest's fault
// plans found it with "at 0s pause n3 for 1500ms".)
func TestPauseBeforeStart(t *testing.T) {
	w, _ := newPair(t, 1, false, nil)
	w.At(0, "", func(w *sim.World) { w.Pause("n2") })
	w.At(100*sim.Millisecond, "", func(w *sim.World) { w.Resume("n2") })
	r := w.Run(200*sim.Millisecond, 0)
	if r.Failed() {
		t.Fatalf("%s: %s", r.Property, r.Reason)
	}
	n1, ok := w.Agent(0).(*pinger)
	if !ok || w.Agent(1) == nil || len(n1.got) == 0 {
		t.Fatalf("n2 never started or answered after its resume")
	}
	if first := n1.got[0]; first != 1 {
		t.Fatalf("n1's first pong answers ping %d, want 1 (the deferred pings in order)", first)
	}
}
