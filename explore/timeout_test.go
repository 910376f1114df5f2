package explore_test

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/orrery-sim/orrery/explore"
)

// cancellingTree is an endless graph whose invariant counts its checks and
// cancels the search's context at the cancelAt-th, as a deadline passing at
// that state would: state n leads to fanout successors, modulo size, so a
// BFS level grows by fanout and a walk never ends by itself.
type cancellingTree struct {
	fanout, size uint64
	checks       *atomic.Int64
	cancelAt     int64
	cancel       context.CancelFunc
}

func (m cancellingTree) Name() string         { return "cancelling-tree" }
func (m cancellingTree) InitStates() []uint64 { return []uint64{0} }
func (m cancellingTree) Actions(_ uint64, actions []int) []int {
	for i := range int(m.fanout) {
		actions = append(actions, i)
	}
	return actions
}
func (m cancellingTree) NextState(n uint64, i int) (uint64, bool) {
	return (n*m.fanout + uint64(i) + 1) % m.size, true
}
func (m cancellingTree) Fingerprint(n uint64) uint64 { return mix(n) }
func (m cancellingTree) Properties() []explore.Property[uint64] {
	return []explore.Property[uint64]{
		explore.Always("counted", func(uint64) bool {
			if m.checks.Add(1) == m.cancelAt {
				m.cancel()
			}
			return true
		}),
		explore.Eventually("zero", func(n uint64) bool { return n == 0 }),
	}
}

// TestTimeoutStopsPromptly: every search polls the timeout between any two
// states, not once per BFS level or every few thousand states, so it stops
// within a few states of the deadline and says the timeout stopped it. The
// deadline is a cancellation at a counted state, so the test counts states,
// not wall time. Before, the BFS judged the rest of a level (here 4,096
// states), the DFS ran up to 4,096 steps, and a random walk ran to its end
// (here 5,000 states).
func TestTimeoutStopsPromptly(t *testing.T) {
	const cancelAt, statesAfterMax = 100, 16
	tests := []struct {
		name    string
		options explore.Options
	}{
		{"bfs", explore.Options{Workers: 1}},
		{"bfs-2-workers", explore.Options{Workers: 2}},
		{"bfs-liveness", explore.Options{Workers: 1, Liveness: true}},
		{"dfs", explore.Options{Strategy: explore.DFS}},
		{"random", explore.Options{Strategy: explore.RandomWalk, DepthMax: 5000}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			tree := cancellingTree{fanout: 64, size: 1 << 20, checks: new(atomic.Int64), cancelAt: cancelAt, cancel: cancel}
			r, err := explore.Check(ctx, tree, tt.options)
			if err != nil {
				t.Fatal(err)
			}
			if r.Status != explore.StatusLimit || r.Limit != "timeout" {
				t.Errorf("status %s limit %q, want limit timeout", r.Status, r.Limit)
			}
			if after := tree.checks.Load() - cancelAt; after > statesAfterMax {
				t.Errorf("checked %d states after the deadline, want at most %d", after, statesAfterMax)
			}
			for _, p := range r.Properties {
				if p.Verdict != explore.VerdictUnknown && p.Verdict != explore.VerdictUnchecked {
					t.Errorf("property %s: %s, want unknown after a timeout", p.Name, p.Verdict)
				}
			}
		})
	}
}
