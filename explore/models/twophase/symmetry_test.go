package twophase

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/orrery-sim/orrery/explore"
)

// reachable enumerates the reachable states without symmetry, independently
// of package explore.
func reachable(m *Model) []State {
	seen := map[State]bool{0: true}
	queue := []State{0}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		for _, a := range m.Actions(s, nil) {
			if n, ok := m.NextState(s, a); ok && !seen[n] {
				seen[n] = true
				queue = append(queue, n)
			}
		}
	}
	states := make([]State, 0, len(seen))
	for s := range seen {
		states = append(states, s)
	}
	return states
}

// permutations returns every permutation of [0, n).
func permutations(n int) [][]int {
	if n == 0 {
		return [][]int{{}}
	}
	var out [][]int
	for _, p := range permutations(n - 1) {
		for i := 0; i <= len(p); i++ {
			q := append(append(append([]int{}, p[:i]...), n-1), p[i:]...)
			out = append(out, q)
		}
	}
	return out
}

// permute renames resource manager rm to perm[rm].
func permute(s State, perm []int) State {
	out := State(s.tm())
	for rm, to := range perm {
		out |= State(s.code(rm) << (2 + 3*to))
	}
	return out
}

// TestSymmetryIsExact counts orbits by brute force (apply every permutation of
// the RMs to every reachable state, and count the distinct orbits) and checks
// that a symmetric search stores exactly one state per orbit, whatever the
// search order and number of workers, and that Canonical is constant on each
// orbit and maps into it.
func TestSymmetryIsExact(t *testing.T) {
	for rms := 1; rms <= 5; rms++ {
		m := New(rms)
		perms := permutations(rms)
		orbit := map[State]State{} // state -> smallest member of its orbit
		orbits := map[State]bool{}
		for _, s := range reachable(m) {
			least := s
			for _, p := range perms {
				least = min(least, permute(s, p))
			}
			orbit[s] = least
			orbits[least] = true
		}
		for s, least := range orbit {
			c := m.Canonical(s)
			if orbit[c] != least {
				t.Fatalf("%d RMs: Canonical(%s) = %s is outside its orbit", rms, m.DescribeState(s), m.DescribeState(c))
			}
			for _, p := range perms {
				if m.Canonical(permute(s, p)) != c {
					t.Fatalf("%d RMs: Canonical differs within the orbit of %s", rms, m.DescribeState(s))
				}
			}
		}
		want := map[string]int64{}
		got := map[string]int64{}
		for name, o := range map[string]explore.Options{
			"bfs-1": {Workers: 1}, "bfs-2": {Workers: 2}, "bfs-4": {Workers: 4},
			"dfs": {Strategy: explore.DFS}, "bfs-fullstate": {FullState: true},
		} {
			o.Symmetry = true
			r, err := explore.Check[State, Action](context.Background(), m, o)
			if err != nil {
				t.Fatal(err)
			}
			want[name] = int64(len(orbits))
			got[name] = r.States
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%d RMs: stored states vs brute-force orbits (-want +got):\n%s", rms, diff)
		}
	}
}

// TestSymmetricCounterexampleIsARealRun replays the counterexample found with
// symmetry on the unreduced model.
func TestSymmetricCounterexampleIsARealRun(t *testing.T) {
	m := New(4)
	m.Bug = true
	r, err := explore.Check[State, Action](context.Background(), m, explore.Options{Symmetry: true})
	if err != nil || r.Counterexample == nil {
		t.Fatalf("want a counterexample, got %+v, %v", r, err)
	}
	s := State(0)
	for i, step := range r.Counterexample.Steps[1:] {
		var next State
		found := false
		for _, a := range m.Actions(s, nil) {
			if m.DescribeAction(a) == step.Action {
				next, found = m.NextState(s, a)
			}
		}
		if !found || m.DescribeState(next) != step.State {
			t.Fatalf("step %d (%s -> %s) is not a transition of the model", i+1, step.Action, step.State)
		}
		s = next
	}
	if m.consistent(s) {
		t.Errorf("the counterexample ends in a consistent state %s", m.DescribeState(s))
	}
}
