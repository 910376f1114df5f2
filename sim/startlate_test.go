package sim_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/orrery-sim/orrery/sim"
	"github.com/orrery-sim/orrery/traces"
)

// TestStartLate: n2 starts at 25 ms. Until then it does not exist: n1's
// pings of 10 and 20 ms are dropped ("not started"), and n2's first tick
// comes 10 ms after its Start. From then on the pair runs as usual.
func TestStartLate(t *testing.T) {
	var lines []string
	w, _ := newPair(t, 1, true, func(e *traces.Event) {
		if e.Time <= int64(36*sim.Millisecond) {
			lines = append(lines, e.Desc)
		}
	})
	w.StartLate(1, 25*sim.Millisecond)
	w.RunUntil(36 * sim.Millisecond)
	w.FlushTrace()
	want := []string{
		"0.000000s n1 start",
		"0.010000s n1 timer tick",
		"0.012861s drop n1 → n2 msgPing (not started)",
		"0.020000s n1 timer tick",
		"0.022458s drop n1 → n2 msgPing (not started)",
		"0.025000s n2 start",
		"0.030000s n1 timer tick",
		"0.032803s n2 ← n1 sim_test.msgPing{N:3}",
		"0.035000s n2 timer tick",
		"0.035577s n1 ← n2 sim_test.msgPong{N:3}",
	}
	if diff := cmp.Diff(want, lines); diff != "" {
		t.Fatalf("trace (-want +got):\n%s", diff)
	}
}
