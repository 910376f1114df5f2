package explore_test

import (
	"context"
	"testing"
	"time"

	"github.com/orrery-sim/orrery/explore"
)

// slowTree is an endless graph whose invariant costs a millisecond a state
// (a linearizability check on each state can cost that): state n leads to
// fanout successors, modulo size, so a BFS level grows by fanout and a walk
// never ends by itself.
type slowTree struct{ fanout, size uint64 }

func (m slowTree) Name() string         { return "slow-tree" }
func (m slowTree) InitStates() []uint64 { return []uint64{0} }
func (m slowTree) Actions(_ uint64, actions []int) []int {
	for i := range int(m.fanout) {
		actions = append(actions, i)
	}
	return actions
}
func (m slowTree) NextState(n uint64, i int) (uint64, bool) {
	return (n*m.fanout + uint64(i) + 1) % m.size, true
}
func (m slowTree) Fingerprint(n uint64) uint64 { return mix(n) }
func (m slowTree) Properties() []explore.Property[uint64] {
	return []explore.Property[uint64]{
		explore.Always("slow", func(uint64) bool { time.Sleep(time.Millisecond); return true }),
		explore.Eventually("zero", func(n uint64) bool { return n == 0 }),
	}
}

// TestTimeoutStopsPromptly: every search polls the timeout between any two
// states, not once per BFS level or every few thousand states, so it stops
// within a few states' time of the deadline and says the timeout stopped it.
// Before, the BFS judged the rest of a level (here 4,096 states, 4 s) and
// the DFS up to 4,096 steps, and a random walk ran to its end (here 5,000 states, 5 s).
func TestTimeoutStopsPromptly(t *testing.T) {
	const timeout, slack = 100 * time.Millisecond, 500 * time.Millisecond
	tree := slowTree{fanout: 64, size: 1 << 20}
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
			ctx, cancel := context.WithTimeout(context.Background(), timeout)
			defer cancel()
			start := time.Now()
			r, err := explore.Check(ctx, tree, tt.options)
			elapsed := time.Since(start)
			if err != nil {
				t.Fatal(err)
			}
			if r.Status != explore.StatusLimit || r.Limit != "timeout" {
				t.Errorf("status %s limit %q, want limit timeout", r.Status, r.Limit)
			}
			if elapsed > timeout+slack {
				t.Errorf("stopped %v after the %v timeout, want within %v", elapsed-timeout, timeout, slack)
			}
			for _, p := range r.Properties {
				if p.Verdict != explore.VerdictUnknown && p.Verdict != explore.VerdictUnchecked {
					t.Errorf("property %s: %s, want unknown after a timeout", p.Name, p.Verdict)
				}
			}
		})
	}
}
