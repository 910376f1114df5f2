package explore_test

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/orrery-sim/orrery/explore"
	"github.com/orrery-sim/orrery/explore/models/twophase"
)

// measured lists the fields that depend on the machine, not the search.
var measured = cmpopts.IgnoreFields(explore.Result{}, "Seconds", "StatesPerSec", "BytesPerState", "Workers", "PeakHeapBytes", "HeapBytesPerState")

func mustCheck[S, A any](t *testing.T, m explore.Model[S, A], o explore.Options) explore.Result {
	t.Helper()
	r, err := explore.Check(context.Background(), m, o)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestBFSFindsShortestCounterexample(t *testing.T) {
	g := &grid{size: 6, bad: point{3, 2}}
	r := mustCheck(t, g, explore.Options{})
	if r.Status != explore.StatusViolated || r.Counterexample == nil {
		t.Fatalf("want a violation, got %+v", r)
	}
	want := []explore.Step{
		{State: "(0,0)"},
		{Action: "right", State: "(1,0)"},
		{Action: "right", State: "(2,0)"},
		{Action: "right", State: "(3,0)"},
		{Action: "up", State: "(3,1)"},
		{Action: "up", State: "(3,2)"},
	}
	if diff := cmp.Diff(want, r.Counterexample.Steps); diff != "" {
		t.Errorf("counterexample (-want +got):\n%s", diff)
	}
	d := mustCheck(t, g, explore.Options{Strategy: explore.DFS})
	if d.Status != explore.StatusViolated || len(d.Counterexample.Steps) < len(want) {
		t.Errorf("DFS: want a violation no shorter than BFS's, got %+v", d)
	}
}

func TestResultsDoNotDependOnWorkers(t *testing.T) {
	buggy := twophase.New(5)
	buggy.Bug = true
	tests := []struct {
		name  string
		check func(workers int) explore.Result
	}{
		{"twophase-6", func(w int) explore.Result {
			return mustCheck(t, twophase.New(6), explore.Options{Workers: w})
		}},
		{"twophase-6-symmetry", func(w int) explore.Result {
			return mustCheck(t, twophase.New(6), explore.Options{Workers: w, Symmetry: true})
		}},
		{"twophase-5-bug", func(w int) explore.Result {
			return mustCheck(t, buggy, explore.Options{Workers: w})
		}},
		{"twophase-5-bug-fullstate", func(w int) explore.Result {
			return mustCheck(t, buggy, explore.Options{Workers: w, FullState: true})
		}},
		{"graph", func(w int) explore.Result {
			return mustCheck(t, &graph{nodes: 200000, fanout: 6, bad: 150001}, explore.Options{Workers: w})
		}},
		{"twophase-6-states-limit", func(w int) explore.Result {
			return mustCheck(t, twophase.New(6), explore.Options{Workers: w, StatesMax: 12345})
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := tt.check(1)
			for _, workers := range []int{2, 4, 8} {
				if diff := cmp.Diff(want, tt.check(workers), measured); diff != "" {
					t.Errorf("%d workers differ from 1 (-want +got):\n%s", workers, diff)
				}
			}
		})
	}
}

// TestBFSMatchesReference compares counts, depth and the counterexample with a
// plain sequential BFS over a Go map.
func TestBFSMatchesReference(t *testing.T) {
	g := &graph{nodes: 200000, fanout: 6, bad: 150001}
	states, generated, depth, path := referenceBFS[uint32, int](g, func(n uint32) bool { return n == g.bad })
	if len(path) == 0 {
		t.Fatal("reference found no violation; pick another bad node")
	}
	r := mustCheck(t, g, explore.Options{Workers: 4})
	var got []string
	for _, s := range r.Counterexample.Steps {
		got = append(got, s.State)
	}
	var want []string
	for _, n := range path {
		want = append(want, strconv.FormatUint(uint64(n), 10))
	}
	if diff := cmp.Diff([]any{states, generated, depth, want}, []any{r.States, r.Generated, r.Depth, got}); diff != "" {
		t.Errorf("(-reference +explore):\n%s", diff)
	}
}

func TestStrategiesAgreeOnCounts(t *testing.T) {
	for _, sym := range []bool{false, true} {
		bfs := mustCheck(t, twophase.New(5), explore.Options{Symmetry: sym})
		dfs := mustCheck(t, twophase.New(5), explore.Options{Symmetry: sym, Strategy: explore.DFS})
		if bfs.States != dfs.States || bfs.Generated != dfs.Generated || dfs.Status != explore.StatusComplete {
			t.Errorf("symmetry=%v: BFS %d/%d, DFS %d/%d %s", sym, bfs.States, bfs.Generated, dfs.States, dfs.Generated, dfs.Status)
		}
	}
}

func TestSometimes(t *testing.T) {
	r := mustCheck(t, &grid{size: 2, bad: point{-1, -1}, terminal: true}, explore.Options{})
	want := []explore.PropertyOutcome{
		{Name: "not-bad", Expect: "always", Verdict: explore.VerdictHolds},
		{Name: "corner", Expect: "sometimes", Verdict: explore.VerdictWitnessed, Path: []explore.Step{
			{State: "(0,0)"}, {Action: "right", State: "(1,0)"}, {Action: "right", State: "(2,0)"},
			{Action: "up", State: "(2,1)"}, {Action: "up", State: "(2,2)"},
		}},
	}
	if diff := cmp.Diff(want, r.Properties); diff != "" {
		t.Errorf("outcomes (-want +got):\n%s", diff)
	}
	if r.Status != explore.StatusComplete {
		t.Errorf("status %s, want complete", r.Status)
	}
	// A sometimes-property never witnessed in a complete search fails it.
	u := mustCheck(t, &grid{size: 2, bad: point{-1, -1}}, explore.Options{DepthMax: 0})
	u2 := mustCheck(t, &unreachable{grid{size: 2, bad: point{-1, -1}}}, explore.Options{})
	if u.Status != explore.StatusComplete || u2.Status != explore.StatusViolated || u2.Properties[1].Verdict != explore.VerdictUnwitnessed {
		t.Errorf("unwitnessed sometimes: got %s / %+v", u.Status, u2)
	}
}

// unreachable is a grid whose sometimes-property can never hold.
type unreachable struct{ grid }

func (u *unreachable) Properties() []explore.Property[point] {
	return []explore.Property[point]{
		explore.Always("not-bad", func(point) bool { return true }),
		explore.Sometimes("outside", func(p point) bool { return p.X > u.size }),
	}
}

func TestDeadlock(t *testing.T) {
	tests := []struct {
		name     string
		options  explore.Options
		terminal bool
		want     explore.Status
	}{
		{"off", explore.Options{}, false, explore.StatusComplete},
		{"bfs", explore.Options{Deadlock: true}, false, explore.StatusViolated},
		{"dfs", explore.Options{Deadlock: true, Strategy: explore.DFS}, false, explore.StatusViolated},
		{"terminal", explore.Options{Deadlock: true}, true, explore.StatusComplete},
	}
	for _, tt := range tests {
		r := mustCheck(t, &grid{size: 3, bad: point{-1, -1}, terminal: tt.terminal}, tt.options)
		if r.Status != tt.want {
			t.Errorf("%s: status %s, want %s", tt.name, r.Status, tt.want)
			continue
		}
		if tt.want == explore.StatusViolated {
			steps := r.Counterexample.Steps
			if r.Counterexample.Property != explore.DeadlockProperty || steps[len(steps)-1].State != "(3,3)" {
				t.Errorf("%s: want a deadlock at (3,3), got %+v", tt.name, r.Counterexample)
			}
		}
	}
}

func TestFullStateDetectsCollisions(t *testing.T) {
	// Anti-diagonals collide (+1 keeps clear of 0, which the checker reserves).
	bad := func(p point) uint64 { return uint64(p.X + p.Y + 1) }
	g := &grid{size: 20, bad: point{-1, -1}, fp: bad}
	full := mustCheck(t, g, explore.Options{FullState: true})
	lossy := mustCheck(t, g, explore.Options{})
	if full.States != 21*21 || full.Collisions != 21*21-41 {
		t.Errorf("full-state: %d states, %d collisions; want 441 and 400", full.States, full.Collisions)
	}
	if lossy.States != 41 || lossy.Collisions != 0 {
		t.Errorf("fingerprint mode with a bad hash: %d states, want 41 (one per anti-diagonal)", lossy.States)
	}
	if _, err := explore.Check(context.Background(), &graph{nodes: 10, fanout: 1}, explore.Options{FullState: true}); err != explore.ErrNoEncoder {
		t.Errorf("full-state without an encoder: err %v, want ErrNoEncoder", err)
	}
}

func TestLimits(t *testing.T) {
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name      string
		ctx       context.Context
		options   explore.Options
		wantLimit string
		check     func(explore.Result) bool
	}{
		{"states-bfs", context.Background(), explore.Options{StatesMax: 1000}, "states",
			func(r explore.Result) bool { return r.States == 1000 }},
		{"states-dfs", context.Background(), explore.Options{StatesMax: 1000, Strategy: explore.DFS}, "states",
			func(r explore.Result) bool { return r.States == 1000 }},
		{"depth-bfs", context.Background(), explore.Options{DepthMax: 5}, "depth",
			func(r explore.Result) bool { return r.Depth == 5 && r.States == 612 }},
		{"depth-dfs", context.Background(), explore.Options{DepthMax: 5, Strategy: explore.DFS}, "depth",
			func(r explore.Result) bool { return r.Depth == 5 }},
		{"timeout", cancelled, explore.Options{}, "timeout",
			func(r explore.Result) bool { return r.States == 1 }},
		{"walks", context.Background(), explore.Options{Strategy: explore.RandomWalk, WalksMax: 10}, "walks",
			func(r explore.Result) bool { return r.States > 1 }},
		// Any process holds more than a byte: the first poll stops the search.
		{"memory-bfs", context.Background(), explore.Options{MemoryMax: 1}, "memory",
			func(r explore.Result) bool { return r.States == 1 }},
		{"memory-dfs", context.Background(), explore.Options{MemoryMax: 1, Strategy: explore.DFS}, "memory",
			func(r explore.Result) bool { return r.States < 1<<13 }},
		{"memory-random", context.Background(), explore.Options{MemoryMax: 1, Strategy: explore.RandomWalk}, "memory",
			func(r explore.Result) bool { return r.States == 0 }},
		{"memory-ample", context.Background(), explore.Options{MemoryMax: 1 << 50, DepthMax: 5}, "depth",
			func(r explore.Result) bool { return r.States == 612 }},
	}
	for _, tt := range tests {
		r, err := explore.Check(tt.ctx, twophase.New(5), tt.options)
		if err != nil {
			t.Fatal(err)
		}
		if r.Status != explore.StatusLimit || r.Limit != tt.wantLimit || !tt.check(r) {
			t.Errorf("%s: got status %s limit %q states %d depth %d", tt.name, r.Status, r.Limit, r.States, r.Depth)
		}
		for _, p := range r.Properties {
			if p.Verdict == explore.VerdictHolds || p.Verdict == explore.VerdictUnwitnessed {
				t.Errorf("%s: an incomplete search settled %s as %s", tt.name, p.Name, p.Verdict)
			}
		}
	}
}

func TestRandomWalkIsSeeded(t *testing.T) {
	buggy := twophase.New(3)
	buggy.Bug = true
	o := explore.Options{Strategy: explore.RandomWalk, Seed: 7, WalksMax: 2000}
	a := mustCheck(t, buggy, o)
	b := mustCheck(t, buggy, o)
	if diff := cmp.Diff(a, b, measured); diff != "" {
		t.Errorf("same seed, different walks (-first +second):\n%s", diff)
	}
	if a.Status != explore.StatusViolated {
		t.Errorf("2000 walks missed the planted bug: %+v", a)
	}
}

func TestProgressAndSummary(t *testing.T) {
	var progress bytes.Buffer
	o := explore.Options{Progress: &progress, ProgressEvery: 10 * time.Millisecond}
	r := mustCheck(t, &slow{grid{size: 6, bad: point{-1, -1}}}, o)
	if !strings.Contains(progress.String(), "states=") {
		t.Errorf("no progress line in %q", progress.String())
	}
	var summary bytes.Buffer
	r.WriteSummary(&summary)
	if !strings.Contains(summary.String(), "grid(6): complete") {
		t.Errorf("summary: %q", summary.String())
	}
}

// slow is a grid whose transitions take a millisecond, so progress fires.
type slow struct{ grid }

func (s *slow) NextState(p point, a step) (point, bool) {
	time.Sleep(time.Millisecond)
	return s.grid.NextState(p, a)
}

// bounded is a grid constrained to X <= 2: states with X = 3 are stored and
// checked but not expanded, as TLC treats a CONSTRAINT.
type bounded struct{ grid }

func (b *bounded) WithinBounds(p point) bool { return p.X <= 2 }

func TestBounds(t *testing.T) {
	g := &bounded{grid{size: 5, bad: point{3, 5}}}
	r := mustCheck(t, g, explore.Options{Deadlock: true})
	// Columns 0..2 fully (3 x 6 states) plus the six states of column 3 reached
	// from column 2; (3,5) is reached and checked, so the invariant fails there.
	if r.Status != explore.StatusViolated || r.Counterexample.Property != "not-bad" {
		t.Fatalf("want the invariant to fail at the boundary, got %+v", r)
	}
	g.bad = point{4, 0} // beyond the boundary: never reached
	r = mustCheck(t, g, explore.Options{Deadlock: true})
	if r.Status != explore.StatusViolated || r.States != 24 || r.Properties[0].Verdict != explore.VerdictHolds {
		t.Errorf("got %s with %d states, want 24 states with the invariant holding", r.Status, r.States)
	}
	// The corner (5,5) lies outside the bounds, so "corner" is never witnessed:
	// that is why the search above fails although no invariant does.
	if r.Properties[1].Verdict != explore.VerdictUnwitnessed {
		t.Errorf("corner: %s, want unwitnessed", r.Properties[1].Verdict)
	}
}
