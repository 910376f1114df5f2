package viz

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/orrery-sim/orrery/traces"
)

// TestCausality on a hand-made trace: n1's timer sends to n2 (delivered) and to
// n3 (dropped); n3's own events stay concurrent with everything of n1 and n2,
// and the drop causes nothing on n3.
func TestCausality(t *testing.T) {
	ev := func(seq uint64, tm int64, kind traces.Kind, node, peer string, sent int64) traces.Event {
		return traces.Event{Seq: seq, Time: tm, Kind: kind, Node: node, Peer: peer, SentAt: sent, Type: "M"}
	}
	events := []traces.Event{
		ev(1, 0, traces.KindStart, "n1", "", 0),
		ev(2, 0, traces.KindStart, "n2", "", 0),
		ev(3, 0, traces.KindStart, "n3", "", 0),
		ev(4, 10, traces.KindTimer, "n1", "", 0),
		ev(5, 10, traces.KindDrop, "n3", "n1", 10),
		ev(6, 12, traces.KindTimer, "n3", "", 0),
		ev(7, 15, traces.KindRecv, "n2", "n1", 10),
		ev(8, 15, traces.KindFail, "", "", 0),
	}
	m := Analyze(&traces.Trace{Events: events, Footer: &traces.Footer{Verdict: "safety", Property: "p"}})
	type sets struct{ Past7, Past6, Past5 []int }
	got := sets{m.CausalPast(6), m.CausalPast(5), m.CausalPast(4)}
	want := sets{Past7: []int{0, 1, 3}, Past6: []int{2}, Past5: []int{0, 3}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("causal pasts (-want +got):\n%s", diff)
	}
	if m.Cause != 6 {
		t.Fatalf("cause %d, want 6 (the delivery, the last step before the fail)", m.Cause)
	}
	if diff := cmp.Diff([]int{6, 3, 1, 0}, m.Past); diff != "" {
		t.Fatalf("story (-want +got):\n%s", diff)
	}
}

// TestLogicalTimeReadsTheClock: a linearizability explanation of a timed
// exploration renders its logical times with the clock ("t3@400ms"); the
// diagram finds the events by the logical part alone.
func TestLogicalTimeReadsTheClock(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int
		ok   bool
	}{{"t1", 0, true}, {"t3@400ms", 2, true}, {"t12@1.5s", 11, true}, {"0.5s", -1, false}, {"t0", -1, false}} {
		if got, ok := logicalTime(tc.in); got != tc.want || ok != tc.ok {
			t.Errorf("logicalTime(%q) = %d, %v; want %d, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}
