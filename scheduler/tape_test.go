package scheduler

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestTape: answers read the fewest bytes that cover n, in order, modulo n;
// past the end of the tape they come from a stream seeded by the tape, so two
// different tapes continue differently and one tape always the same way.
func TestTape(t *testing.T) {
	tape := NewTape([]byte{7, 1, 2, 250, 0, 0, 1, 0})
	got := []uint64{
		tape.Choose(Delay, 10),    // byte 7
		tape.Choose(Fault, 1<<16), // bytes 1, 2
		tape.Choose(Drop, 3),      // byte 250 % 3
		tape.Choose(Rand, 1),      // no byte
		tape.Choose(Rand, 1<<32),  // bytes 0 0 1 0
		uint64(tape.Used()),
	}
	if diff := cmp.Diff([]uint64{7, 258, 1, 0, 256, 8}, got); diff != "" {
		t.Fatalf("answers (-want +got):\n%s", diff)
	}
	after := func(data []byte) []uint64 {
		tp := NewTape(data)
		var out []uint64
		for range 4 {
			out = append(out, tp.Choose(Delay, 1000))
		}
		return out
	}
	a, b := after([]byte{1}), after([]byte{2})
	if cmp.Equal(a[1:], b[1:]) || !cmp.Equal(a, after([]byte{1})) {
		t.Fatalf("continuations: %v and %v", a, b)
	}
}
