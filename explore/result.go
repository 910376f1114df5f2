package explore

import (
	"fmt"
	"io"
	"strings"
)

// Status is the overall verdict of a search.
type Status string

const (
	// StatusComplete: every reachable state was explored and every property
	// holds (each invariant everywhere, each sometimes-property somewhere).
	StatusComplete Status = "complete"
	// StatusViolated: an invariant failed, a deadlock was found, a complete
	// search found no witness for a sometimes-property, or a lasso violates
	// an Eventually property.
	StatusViolated Status = "violated"
	// StatusLimit: a limit (states, depth, walks, timeout) stopped the search
	// before a verdict.
	StatusLimit Status = "limit"
)

// Verdicts of one property.
const (
	VerdictHolds       = "holds"
	VerdictViolated    = "violated"
	VerdictWitnessed   = "witnessed"
	VerdictUnwitnessed = "unwitnessed"
	VerdictUnknown     = "unknown"
	// VerdictUnchecked: an Eventually property of a search without
	// Options.Liveness.
	VerdictUnchecked = "unchecked"
)

// DeadlockProperty names the counterexample of a deadlock.
const DeadlockProperty = "deadlock"

// Step is one state of a path and the action that led to it ("" for an initial
// state).
type Step struct {
	Action string `json:"action,omitempty"`
	State  string `json:"state"`
}

// PropertyOutcome is the verdict of one property, with its counterexample (for a
// violated invariant) or witness (for a sometimes-property).
type PropertyOutcome struct {
	Name    string `json:"name"`
	Expect  string `json:"expect"`
	Verdict string `json:"verdict"`
	Path    []Step `json:"path,omitempty"`
}

// Counterexample is the path that makes the search fail.
type Counterexample struct {
	Property string `json:"property"`
	Steps    []Step `json:"steps"`
	// Choices re-execute the path: Choices[0] indexes InitStates, and
	// Choices[k] the actions Model.Actions lists in the state of step k-1 (with
	// symmetry: in the concrete state the steps show). A model that is a
	// deterministic function of its configuration replays them exactly.
	Choices []int `json:"choices"`
	// LoopAt, for a lasso (an Eventually property), numbers the step (from
	// 1) where the cycle starts: the steps after it lead back to its state,
	// and the run repeats them for ever. When it is the last step, the run
	// stays in that state (no fair action is enabled there). 0 for a path.
	LoopAt int `json:"loop_at,omitempty"`
}

// Result reports a search. Seconds, StatesPerSec and the bytes per state are
// measurements; every other field is determined by the model and the options
// (unless the search hit its timeout).
type Result struct {
	Model    string `json:"model"`
	Strategy string `json:"strategy"`
	Workers  int    `json:"workers"`
	// States counts distinct stored states (orbits, with symmetry).
	States int64 `json:"states"`
	// Generated counts initial states plus every successor computed, duplicates
	// included, as TLC's "states generated".
	Generated int64 `json:"generated"`
	// Depth is the number of states on the longest path the search stored from
	// an initial state (TLC's "depth": an initial state alone has depth 1). For
	// BFS it is the length of the longest shortest path.
	Depth  int    `json:"depth"`
	Status Status `json:"result"`
	// Limit names the limit that stopped the search: "states", "depth",
	// "walks", "timeout" or "memory" (Options.MemoryMax).
	Limit        string  `json:"limit,omitempty"`
	Seconds      float64 `json:"seconds"`
	StatesPerSec float64 `json:"states_per_sec"`
	// BytesPerState is what the search cost the process in memory at its
	// peak (memlimit.InUse, sampled where the search polls its context, less
	// what the process held before) per stored state: the figure to size a
	// machine by. It includes garbage not yet collected.
	BytesPerState float64 `json:"bytes_per_state"`
	// VisitedBytesPerState counts only the visited set and the parent links
	// a BFS keeps, per stored state: the checker's own data structure.
	VisitedBytesPerState float64 `json:"visited_bytes_per_state"`
	// PeakHeapBytes is the most memory the Go runtime held during the
	// search (memlimit.InUse, sampled where the search polls), and
	// HeapBytesPerState that peak per stored state, the process included.
	PeakHeapBytes     int64   `json:"peak_heap_bytes"`
	HeapBytesPerState float64 `json:"heap_bytes_per_state"`
	// Collisions counts distinct states whose fingerprint equals that of an
	// earlier distinct state (full-state mode only).
	Collisions int64 `json:"fingerprint_collisions"`
	// Edges counts the transitions the liveness graph stores and
	// GraphBytesPerState what the graph costs per stored state (edges,
	// index by fingerprint, property bits); both 0 unless the search
	// checked Eventually properties (Options.Liveness).
	Edges int64 `json:"edges,omitempty"`
	// LassoStates counts the stored states that may lie on a lasso:
	// expanded, with no enabled action hidden by a bound. The others (at
	// the depth bound, outside the constraints) cannot, so a small count
	// says the bounds leave the liveness check little to judge.
	LassoStates        int64             `json:"lasso_states,omitempty"`
	GraphBytesPerState float64           `json:"graph_bytes_per_state,omitempty"`
	Properties         []PropertyOutcome `json:"properties"`
	Counterexample     *Counterexample   `json:"counterexample,omitempty"`
}

// WriteSummary prints r for people: a header line, the property verdicts and the
// counterexample step by step.
func (r Result) WriteSummary(w io.Writer) {
	fmt.Fprintf(w, "%s: %s (%s, %d workers)", r.Model, r.Status, r.Strategy, r.Workers)
	if r.Limit != "" {
		fmt.Fprintf(w, " limit=%s", r.Limit)
	}
	fmt.Fprintf(w, "\n  states=%d generated=%d depth=%d seconds=%.3f states/s=%.0f bytes/state=%.0f visited-set-bytes/state=%.1f peak=%dMiB",
		r.States, r.Generated, r.Depth, r.Seconds, r.StatesPerSec, r.BytesPerState, r.VisitedBytesPerState, r.PeakHeapBytes>>20)
	if r.Collisions > 0 {
		fmt.Fprintf(w, " fingerprint-collisions=%d", r.Collisions)
	}
	if r.GraphBytesPerState > 0 {
		fmt.Fprintf(w, " edges=%d lasso-states=%d liveness-graph-bytes/state=%.1f", r.Edges, r.LassoStates, r.GraphBytesPerState)
	}
	fmt.Fprintln(w)
	for _, p := range r.Properties {
		fmt.Fprintf(w, "  %s %s: %s\n", p.Expect, p.Name, p.Verdict)
	}
	if c := r.Counterexample; c != nil {
		fmt.Fprintf(w, "counterexample for %s (%d states):\n", c.Property, len(c.Steps))
		c.WriteSteps(w)
	}
}

// WriteSteps prints the path step by step; a lasso marks where its cycle
// starts and says how it repeats.
func (c *Counterexample) WriteSteps(w io.Writer) {
	for i, s := range c.Steps {
		action := s.Action
		if action == "" {
			action = "init"
		}
		fmt.Fprintf(w, "  %3d %s\n      %s\n", i+1, action, strings.ReplaceAll(s.State, "\n", "\n      "))
		switch {
		case c.LoopAt != i+1 || c.LoopAt == len(c.Steps):
		case c.LoopAt+1 == len(c.Steps):
			fmt.Fprintf(w, "  --- cycle: step %d leads back to the state of step %d, for ever ---\n", len(c.Steps), c.LoopAt)
		default:
			fmt.Fprintf(w, "  --- cycle: steps %d-%d lead back to the state of step %d, for ever ---\n", c.LoopAt+1, len(c.Steps), c.LoopAt)
		}
	}
	switch {
	case c.LoopAt == 0:
	case c.LoopAt == len(c.Steps):
		fmt.Fprintf(w, "  --- stays in the state of step %d for ever: no fair action is enabled ---\n", c.LoopAt)
	default:
		fmt.Fprintf(w, "  --- back to the state of step %d ---\n", c.LoopAt)
	}
}
