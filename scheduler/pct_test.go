package scheduler

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// bandOf returns which of the nodes' bands a delay falls in.
func bandOf(v, n uint64, nodes int) uint64 { return v / (n / uint64(nodes)) }

// TestPCTBands: a message travels in the band of its lower-priority end, so the
// two highest-priority nodes talk fastest and the lowest-priority node slowest.
func TestPCTBands(t *testing.T) {
	const n, nodes = 1000, 4
	p := NewPCT(7, 1, 1e9)
	for id := int32(0); id < nodes; id++ {
		p.ChooseDelay(id, id, 0, n) // meet every node
	}
	prio := p.Priorities()
	order := []int32{0, 1, 2, 3} // by priority, highest first
	for i := range order {
		for j := i + 1; j < len(order); j++ {
			if prio[order[j]] > prio[order[i]] {
				order[i], order[j] = order[j], order[i]
			}
		}
	}
	got := map[[2]int32]uint64{}
	want := map[[2]int32]uint64{}
	for i, a := range order {
		for j, b := range order {
			got[[2]int32{a, b}] = bandOf(p.ChooseDelay(a, b, 0, n), n, nodes)
			want[[2]int32{a, b}] = uint64(max(i, j))
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("bands (-want +got):\n%s", diff)
	}
}

// TestPCTChangePoint: at a change point the highest-priority node drops below
// every other; with depth 1 nothing changes.
func TestPCTChangePoint(t *testing.T) {
	for _, depth := range []int{1, 2} {
		p := NewPCT(3, depth, 100)
		for id := int32(0); id < 3; id++ {
			p.ChooseDelay(id, id, 0, 30)
		}
		before := p.Priorities()
		p.ChooseDelay(0, 1, 100, 30) // past every change point
		after := p.Priorities()
		top := 0
		for i, q := range before {
			if q > before[top] {
				top = i
			}
		}
		changed := 0
		for i := range before {
			if before[i] != after[i] {
				changed++
			}
		}
		if depth == 1 && changed != 0 {
			t.Errorf("depth 1 changed priorities: %v -> %v", before, after)
		}
		if depth == 2 {
			if changed != 1 || after[top] >= min(after[(top+1)%3], after[(top+2)%3]) {
				t.Errorf("depth 2: %v -> %v, want node %d lowest", before, after, top)
			}
		}
	}
}

// TestPCTDeterministic: the same seed gives the same answers; a Recorder logs
// the link delays as Delay choices that Replay answers alike.
func TestPCTDeterministic(t *testing.T) {
	draw := func(c Chooser) []uint64 {
		var out []uint64
		for i := int64(0); i < 200; i++ {
			out = append(out, ChooseDelay(c, int32(i%5), int32(i%3), i*10, 97), c.Choose(Rand, 1000))
		}
		return out
	}
	rec := &Recorder{Inner: NewPCT(11, 4, 2000)}
	a := draw(rec)
	if diff := cmp.Diff(a, draw(NewPCT(11, 4, 2000))); diff != "" {
		t.Fatalf("same seed, different answers:\n%s", diff)
	}
	if diff := cmp.Diff(a, draw(NewReplay(rec.Log))); diff != "" {
		t.Fatalf("replay differs:\n%s", diff)
	}
}
