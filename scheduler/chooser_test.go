package scheduler

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func draw(c Chooser, p Purpose, k int) []uint64 {
	out := make([]uint64, k)
	for i := range out {
		out[i] = c.Choose(p, 1000)
	}
	return out
}

func TestSeededIsAFunctionOfTheSeed(t *testing.T) {
	if diff := cmp.Diff(draw(NewSeeded(7), Delay, 20), draw(NewSeeded(7), Delay, 20)); diff != "" {
		t.Fatalf("same seed, different draws:\n%s", diff)
	}
	if cmp.Equal(draw(NewSeeded(7), Delay, 20), draw(NewSeeded(8), Delay, 20)) {
		t.Fatal("different seeds, same draws")
	}
}

// TestPurposesAreIndependent: drawing for one purpose does not move another's
// stream, so turning a fault kind on does not reshuffle delays.
func TestPurposesAreIndependent(t *testing.T) {
	plain := NewSeeded(3)
	mixed := NewSeeded(3)
	var a, b []uint64
	for i := 0; i < 50; i++ {
		a = append(a, plain.Choose(Delay, 100))
		mixed.Choose(Drop, 1_000_000)
		b = append(b, mixed.Choose(Delay, 100))
	}
	if diff := cmp.Diff(a, b); diff != "" {
		t.Fatalf("drop draws changed the delays:\n%s", diff)
	}
}

func TestRecordThenReplay(t *testing.T) {
	rec := &Recorder{Inner: NewSeeded(11)}
	want := append(draw(rec, Delay, 10), draw(rec, Rand, 5)...)
	rep := NewReplay(rec.Log)
	got := append(draw(rep, Delay, 10), draw(rep, Rand, 5)...)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("replay differs:\n%s", diff)
	}
	if _, ok := rep.Mismatch(); ok {
		t.Fatal("no mismatch expected")
	}
}

func TestReplayClampsRunsOutAndNotesMismatch(t *testing.T) {
	rep := NewReplay([]Choice{{Purpose: Delay, N: 100, Value: 90}, {Purpose: Rand, N: 10, Value: 3}})
	got := []uint64{rep.Choose(Delay, 50), rep.Choose(Delay, 10), rep.Choose(Rand, 10)}
	if diff := cmp.Diff([]uint64{49, 0, 3}, got); diff != "" {
		t.Fatalf("(-want +got):\n%s", diff)
	}
	if i, ok := rep.Mismatch(); !ok || i != 0 {
		t.Fatalf("mismatch = %d, %v; want 0, true", i, ok)
	}
	if rep.Used() != 3 || !rep.Exhausted() {
		t.Fatalf("used %d, exhausted %v", rep.Used(), rep.Exhausted())
	}
}

// TestReplayPurposesAreIndependent: deleting one purpose's choices (as a shrinker
// does with faults) leaves the other purposes' answers unchanged.
func TestReplayPurposesAreIndependent(t *testing.T) {
	rec := &Recorder{Inner: NewSeeded(5)}
	var want []uint64
	for i := 0; i < 30; i++ {
		rec.Choose(Fault, 1000)
		want = append(want, rec.Choose(Delay, 1000))
	}
	var delaysOnly []Choice
	for _, c := range rec.Log {
		if c.Purpose == Delay {
			delaysOnly = append(delaysOnly, c)
		}
	}
	rep := NewReplay(delaysOnly)
	var got []uint64
	for i := 0; i < 30; i++ {
		if rep.Choose(Fault, 1000) != 0 {
			t.Fatal("deleted fault choice not answered with 0")
		}
		got = append(got, rep.Choose(Delay, 1000))
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("(-want +got):\n%s", diff)
	}
}

func TestPurposeNamesRoundTrip(t *testing.T) {
	for p := Purpose(0); p < purposeCount; p++ {
		q, err := ParsePurpose(p.String())
		if err != nil || q != p {
			t.Fatalf("%v: got %v, %v", p, q, err)
		}
	}
	if _, err := ParsePurpose("nope"); err == nil {
		t.Fatal("unknown purpose accepted")
	}
}

// TestKeyedReplay: a log recorded with keys replays to the same answers, and
// once one asker's questions change (one more, here), only that asker's
// later answers move; with Replay, every later answer of the purpose would.
func TestKeyedReplay(t *testing.T) {
	asker := int32(0)
	rec := &KeyRecorder{Inner: NewSeeded(5), Asker: func() int32 { return asker }}
	ask := func(c Chooser, extra bool) []uint64 {
		var out []uint64
		for i := range 6 {
			asker = int32(i % 2)
			if extra && i == 2 {
				c.Choose(Rand, 1000) // asker 0 asks one question more
			}
			out = append(out, c.Choose(Rand, 1000))
			if l, ok := c.(LinkChooser); ok {
				out = append(out, l.ChooseDelay(asker, 1-asker, 0, 1000))
			}
		}
		return out
	}
	want := ask(rec, false)
	replay := func() *KeyedReplay {
		r := NewKeyedReplay(rec.Log, rec.Keys)
		r.Asker = func() int32 { return asker }
		return r
	}
	if diff := cmp.Diff(want, ask(replay(), false)); diff != "" {
		t.Fatalf("keyed replay differs (-want +got):\n%s", diff)
	}
	got := ask(replay(), true)
	// Asker 1's answers (odd steps: indexes 2,3, 6,7, 10,11) and every
	// delay stay; asker 0's rand answers from step 2 on shift by one.
	for i := range want {
		step, delay := i/2, i%2 == 1
		moved := !delay && step%2 == 0 && step >= 2
		if !moved && got[i] != want[i] {
			t.Errorf("answer %d (step %d, delay %v): got %d, recorded %d", i, step, delay, got[i], want[i])
		}
	}
	if got[4] != want[8] || got[8] != 0 {
		t.Errorf("asker 0's rand answers did not shift: got %v, recorded %v", got, want)
	}
}

// TestKeyedReplayLossByLink: with a Receiver hook, a loss is keyed by its
// link: one more message from asker 0 to receiver 2 leaves the losses on its
// link to receiver 1 where they were; without the hook they shift.
func TestKeyedReplayLossByLink(t *testing.T) {
	to := int32(1)
	receiver := func() int32 { return to }
	asker := func() int32 { return 0 }
	for _, byLink := range []bool{true, false} {
		rec := &KeyRecorder{Inner: NewSeeded(9), Asker: asker}
		if byLink {
			rec.Receiver = receiver
		}
		send := func(c Chooser, extra bool) []uint64 {
			var toOne []uint64
			for i := range 8 {
				if extra && i == 3 {
					to = 2
					c.Choose(Drop, 1<<20) // one more message, to receiver 2
				}
				to = 1
				toOne = append(toOne, c.Choose(Drop, 1<<20))
			}
			return toOne
		}
		want := send(rec, false)
		r := NewKeyedReplay(rec.Log, rec.Keys)
		r.Asker = asker
		if byLink {
			r.Receiver = receiver
		}
		got := send(r, true)
		if same := cmp.Equal(want, got); same != byLink {
			t.Errorf("keyed by link %v: the losses to receiver 1 kept their answers: %v (recorded %v, replayed %v)", byLink, same, want, got)
		}
	}
}

// TestTimedReplay: an asker that asked at 0, 10, 20, ... 70 ms and now asks
// from 35 ms on only (its early questions edited away) gets the answers
// recorded at 40 ms and after with timed replay; keyed replay hands it the
// first ones, recorded at 0 ms and after. Each question takes its key's
// first unused answer recorded at or after it.
func TestTimedReplay(t *testing.T) {
	now := int64(0)
	clock := func() int64 { return now }
	rec := &KeyRecorder{Inner: NewSeeded(3), Clock: clock}
	var want []uint64
	for i := range 8 {
		now = int64(i) * 10
		want = append(want, rec.Choose(Rand, 1000))
	}
	if diff := cmp.Diff([]int64{0, 10, 20, 30, 40, 50, 60, 70}, rec.Times); diff != "" {
		t.Fatalf("recorded times (-want +got):\n%s", diff)
	}
	ask := func(c Chooser, at ...int64) []uint64 {
		var out []uint64
		for _, t := range at {
			now = t
			out = append(out, c.Choose(Rand, 1000))
		}
		return out
	}
	timed := NewTimedReplay(rec.Log, rec.Keys, rec.Times)
	timed.Clock = clock
	if diff := cmp.Diff(want[4:], ask(timed, 35, 40, 50, 60)); diff != "" {
		t.Errorf("timed (-want +got):\n%s", diff)
	}
	keyed := NewKeyedReplay(rec.Log, rec.Keys)
	if diff := cmp.Diff(want[:4], ask(keyed, 35, 40, 50, 60)); diff != "" {
		t.Errorf("keyed (-want +got):\n%s", diff)
	}
	early := NewTimedReplay(rec.Log, rec.Keys, rec.Times)
	early.Clock = clock
	if diff := cmp.Diff([]uint64{want[1], want[2], want[5]}, ask(early, 5, 6, 41)); diff != "" {
		t.Errorf("timed, asked early (-want +got):\n%s", diff)
	}
}

// TestSimplestPastTheEnd: once a log runs out, a replay answers the
// simplest: the shortest delay and the first option (0), but no loss and no
// duplicate (n-1: the network loses or duplicates a message when the
// answer is below its rate).
func TestSimplestPastTheEnd(t *testing.T) {
	keyed := NewKeyedReplay(nil, nil)
	for _, c := range []Chooser{NewReplay(nil), keyed} {
		got := []uint64{c.Choose(Delay, 100), c.Choose(Drop, 1000000), c.Choose(Dup, 1000000), c.Choose(Rand, 7), c.Choose(Drop, 1)}
		if diff := cmp.Diff([]uint64{0, 999999, 999999, 0, 0}, got); diff != "" {
			t.Errorf("%T past the end (-want +got):\n%s", c, diff)
		}
	}
	if !(Choice{Purpose: Drop, N: 10, Value: 9}).IsSimplest() || (Choice{Purpose: Drop, N: 10, Value: 0}).IsSimplest() {
		t.Error("IsSimplest: a loss answer of 9 of 10 is the simplest, 0 is not")
	}
}
