package actors_test

import (
	"context"

	"slices"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/orrery-sim/orrery/explore"
	"github.com/orrery-sim/orrery/explore/actors"
	"github.com/orrery-sim/orrery/protocols"
	_ "github.com/orrery-sim/orrery/protocols/raft"
	_ "github.com/orrery-sim/orrery/protocols/twopc"
)

// recorder wraps a model and records the fingerprint of every state the
// checker stores (through an invariant that always holds, evaluated on each)
// and of every state without an enabled action.
type recorder struct {
	*actors.Model
	mu       sync.Mutex
	states   map[uint64]bool
	terminal map[uint64]bool
}

func newRecorder(m *actors.Model) *recorder {
	return &recorder{Model: m, states: map[uint64]bool{}, terminal: map[uint64]bool{}}
}

func (r *recorder) Properties() []explore.Property[actors.State] {
	record := explore.Always("record", func(s actors.State) bool {
		fp := r.Fingerprint(s)
		dead := len(r.Actions(s, nil)) == 0
		r.mu.Lock()
		defer r.mu.Unlock()
		r.states[fp] = true
		if dead {
			r.terminal[fp] = true
		}
		return true
	})
	return append(r.Model.Properties(), record)
}

func sortedKeys(m map[uint64]bool) []uint64 {
	out := make([]uint64, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// searchOutcome is what must not depend on the reduction.
type searchOutcome struct {
	States           int64
	Depth            int
	Status           explore.Status
	Property         string
	PathLen          int
	Verdicts         []string
	Stored, Terminal []uint64
}

func outcome(rec *recorder, r explore.Result, bfs bool) searchOutcome {
	o := searchOutcome{States: r.States, Depth: r.Depth, Status: r.Status,
		Stored: sortedKeys(rec.states), Terminal: sortedKeys(rec.terminal)}
	if r.Counterexample != nil {
		o.Property = r.Counterexample.Property
		if bfs {
			o.PathLen = len(r.Counterexample.Steps) // shortest either way
		}
	}
	if r.Status != explore.StatusViolated {
		for _, p := range r.Properties {
			o.Verdicts = append(o.Verdicts, p.Name+"="+p.Verdict)
		}
	}
	if !bfs {
		o.Depth = 0 // a DFS's deepest stack depends on the order it went in
	}
	if r.Status == explore.StatusViolated && !bfs {
		// A DFS stops at the first violation; which states it stored before
		// that depends on the order it took transitions in.
		o.States, o.Depth, o.Stored, o.Terminal = 0, 0, nil, nil
	}
	return o
}

type differential struct {
	name    string
	model   func(t *testing.T) *actors.Model
	depth   int
	reduces bool // the reduced search must compute fewer successors
}

func protocolModel(protocol string, nodes int, bug string, network actors.Network, crashes int) func(t *testing.T) *actors.Model {
	return protocolModelTimed(protocol, nodes, bug, network, crashes, false)
}

// protocolModelTimed is protocolModel with the protocol's clock (its
// ExploreSpec.TimeMax) kept when timed, cleared otherwise: the untimed
// configurations are the ones these differentials were written for.
func protocolModelTimed(protocol string, nodes int, bug string, network actors.Network, crashes int, timed bool) func(t *testing.T) *actors.Model {
	return func(t *testing.T) *actors.Model {
		p, err := protocols.Lookup(protocol)
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := actors.FromProtocol(p, protocols.Options{Nodes: nodes, Bug: bug}, network, crashes)
		if err != nil {
			t.Fatal(err)
		}
		if !timed {
			cfg.TimeMax = 0
		}
		m, err := actors.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
}

func toyModel(network actors.Network, crashes, limit int) func(t *testing.T) *actors.Model {
	return func(t *testing.T) *actors.Model {
		m, err := actors.New(actors.Config{Name: "toy", Setup: toySetup(limit), Network: network, CrashesMax: crashes})
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
}

var differentials = []differential{
	{"toy/unordered", toyModel(actors.Unordered, 0, 3), 0, false},
	{"toy/lossy", toyModel(actors.Lossy, 0, 3), 0, false},
	{"toy/crash", toyModel(actors.Unordered, 1, 3), 0, false},
	{"twopc", protocolModel("twopc", 2, "", actors.Unordered, 0), 0, true},
	{"twopc/dup", protocolModel("twopc", 2, "", actors.Duplicating, 0), 0, true},
	{"twopc/fifo", protocolModel("twopc", 2, "", actors.FIFO, 0), 0, true},
	{"twopc/crash", protocolModel("twopc", 2, "", actors.Unordered, 1), 14, true},
	{"twopc/lossy", protocolModel("twopc", 2, "", actors.Lossy, 0), 0, true},
	{"twopc/forget-yes-vote", protocolModel("twopc", 2, "forget-yes-vote", actors.Unordered, 1), 0, true},
	{"twopc/decision-changes-after-recovery", protocolModel("twopc", 2, "decision-changes-after-recovery", actors.Unordered, 1), 0, true},
	{"twopc/timed-dup", protocolModelTimed("twopc", 2, "", actors.Duplicating, 0, true), 0, true},
	{"twopc/timed-dup-crash", protocolModelTimed("twopc", 2, "", actors.Duplicating, 1, true), 0, true},
	{"raft/unordered", protocolModel("raft", 3, "", actors.Unordered, 0), 13, true},
	{"raft/fifo", protocolModel("raft", 3, "", actors.FIFO, 0), 14, true},
	{"raft/lossy", protocolModel("raft", 3, "", actors.Lossy, 0), 9, true},
	{"raft/crash", protocolModel("raft", 3, "", actors.Unordered, 1), 10, true},
	{"abd", protocolModel("abd", 3, "", actors.Unordered, 0), 10, true},
	{"abd/crash", protocolModel("abd", 3, "", actors.Unordered, 1), 9, true},
	{"abd/minority-quorum", protocolModel("abd", 3, "minority-quorum", actors.Unordered, 0), 12, true},
	{"chat", protocolModel("chat", 3, "", actors.Unordered, 0), 8, true},
	{"chat/crash", protocolModel("chat", 3, "", actors.Unordered, 1), 7, true},
	{"paxos", protocolModel("paxos", 3, "", actors.Unordered, 0), 10, true},
	{"paxos/2", protocolModel("paxos", 2, "", actors.Unordered, 0), 12, true},
	{"paxos/2/ignore-promised-values", protocolModel("paxos", 2, "ignore-promised-values", actors.Unordered, 0), 0, true},
	{"ovid/kvpair/crash", func(t *testing.T) *actors.Model { return ovidModel(t, "../../examples/kvpair.json", "", 1) }, 0, true},
	{"ovid/kvpair/ack-before-sync", func(t *testing.T) *actors.Model {
		return ovidModel(t, "../../examples/kvpair.json", "ack-before-sync", 1)
	}, 0, false}, // a DFS finds it within 11 successors either way
	{"raft/truncate-on-stale", protocolModel("raft", 3, "truncate-on-stale", actors.Unordered, 0), 12, true},
}

// The differential test of partial-order reduction: on every configuration
// the reduced search (BFS and DFS) stores exactly the states of the full
// search, finds the same terminal states and reaches the same verdicts, with
// a shortest counterexample of the same length; it computes fewer
// successors.
func TestReductionDifferential(t *testing.T) {
	for _, d := range differentials {
		t.Run(d.name, func(t *testing.T) {
			strategies := []explore.Strategy{explore.BFS, explore.DFS}
			if d.depth > 0 {
				// A depth-bounded DFS is incomplete in an order-dependent
				// way (a state first met deep is cut off there, and not
				// expanded when met again higher up), with or without
				// reduction.
				strategies = strategies[:1]
			}
			for _, strategy := range strategies {
				var outcomes [2]searchOutcome
				var generated [2]int64
				for i, reduce := range []bool{false, true} {
					rec := newRecorder(d.model(t))
					r, err := explore.Check(context.Background(), rec, explore.Options{Strategy: strategy, Workers: 2,
						DepthMax: d.depth, Reduce: reduce})
					if err != nil {
						t.Fatal(err)
					}
					outcomes[i], generated[i] = outcome(rec, r, strategy == explore.BFS), r.Generated
				}
				if diff := cmp.Diff(outcomes[0], outcomes[1]); diff != "" {
					t.Errorf("%s: reduced search differs (-full +reduced):\n%s", strategy, diff)
				}
				if strategy == explore.BFS {
					// The reduced BFS is deterministic: one worker computes
					// exactly what two do.
					rec := newRecorder(d.model(t))
					r, err := explore.Check(context.Background(), rec, explore.Options{Workers: 1, DepthMax: d.depth, Reduce: true})
					if err != nil {
						t.Fatal(err)
					}
					if got := outcome(rec, r, true); r.Generated != generated[1] || !cmp.Equal(got, outcomes[1]) {
						t.Errorf("reduced BFS on 1 worker: %d successors, on 2: %d", r.Generated, generated[1])
					}
				}
				if d.reduces && generated[1] >= generated[0] {
					t.Errorf("%s: reduced search computed %d successors, the full one %d", strategy, generated[1], generated[0])
				}
				t.Logf("%s: states=%d generated full=%d reduced=%d (%.0f%%)", strategy, outcomes[0].States,
					generated[0], generated[1], 100*float64(generated[1])/float64(generated[0]))
			}
		})
	}
}
