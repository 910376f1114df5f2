package scheduler

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestSplice: a spliced chooser answers the recorded prefix in order, then
// what a fresh seeded stream answers; a recorded run of it replays per
// purpose; a question unlike the recorded one ends the prefix.
func TestSplice(t *testing.T) {
	prefix := []Choice{{Delay, 10, 7}, {Rand, 5, 9}, {Fault, 3, 2}}
	rec := &Recorder{Inner: NewSplice(prefix, 42)}
	questions := []Choice{{Delay, 10, 0}, {Rand, 5, 0}, {Fault, 3, 0}, {Delay, 10, 0}, {Rand, 100, 0}, {Delay, 10, 0}}
	for _, q := range questions {
		rec.Choose(q.Purpose, q.N)
	}
	fresh := NewSeeded(42)
	want := []uint64{7, 4, 2, fresh.Choose(Delay, 10), fresh.Choose(Rand, 100), fresh.Choose(Delay, 10)}
	var got []uint64
	for _, c := range rec.Log {
		got = append(got, c.Value)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("answers (-want +got):\n%s", diff)
	}
	replay := NewReplay(rec.Log)
	var again []uint64
	for _, q := range questions {
		again = append(again, replay.Choose(q.Purpose, q.N))
	}
	if diff := cmp.Diff(want, again); diff != "" {
		t.Fatalf("replay (-want +got):\n%s", diff)
	}
	s := NewSplice(prefix, 42)
	s.Choose(Delay, 10)
	if s.Diverged() || !s.InPrefix() {
		t.Fatal("diverged on the recorded question")
	}
	s.Choose(Drop, 2) // the log says Rand: the run went elsewhere
	if !s.Diverged() || s.InPrefix() {
		t.Fatal("did not notice a different question")
	}
}
