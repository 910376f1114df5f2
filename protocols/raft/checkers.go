package raft

import (
	"errors"
	"fmt"

	"github.com/orrery-sim/orrery/checkers/raftsafety"
	"github.com/orrery-sim/orrery/sim"
)

// Property names, as reported in verdicts. The safety invariants are those
// of checkers/raftsafety.
const (
	PropElectionSafety     = raftsafety.ElectionSafety
	PropOneVote            = raftsafety.OneVotePerTerm
	PropLogMatching        = raftsafety.LogMatching
	PropLeaderCompleteness = raftsafety.LeaderCompleteness
	PropStateMachineSafety = raftsafety.StateMachineSafety
	PropMonotonic          = raftsafety.Monotonic
	PropLeaderElected      = raftsafety.LeaderElected
	PropLinearizable       = "linearizability"
	PropWriteAfterHeal     = "write-after-heal"
)

func name(id sim.NodeID) string { return fmt.Sprintf("n%d", id+1) }

// tracker watches a run for the liveness property.
type tracker struct {
	servers   int
	liveAt    sim.Time // when the liveness phase began
	liveFrom  int      // history ops before it
	liveWrite bool
}

func newTracker(servers int) *tracker { return &tracker{servers: servers} }

// writeAfterHeal is the liveness property: once the nemesis has healed the
// cluster, some write issued after that completes.
func (t *tracker) writeAfterHeal(w *sim.World) error {
	if t.liveWrite {
		return nil
	}
	ops := w.History().Ops
	for i := t.liveFrom; i < len(ops); i++ {
		op := &ops[i]
		if in, ok := op.Input.(Op); ok && op.Done && !in.Kind.IsRead() {
			t.liveWrite = true
			return nil
		}
	}
	return errors.New("no write issued since the heal has completed (" + fmt.Sprint(len(ops)-t.liveFrom) +
		" operations issued); " + t.clusterSummary(w))
}

func (t *tracker) clusterSummary(w *sim.World) string {
	s := ""
	for i := 0; i < t.servers; i++ {
		if i > 0 {
			s += "; "
		}
		s += name(sim.NodeID(i)) + " " + describeServer(w, sim.NodeID(i))
	}
	return s
}

func describeServer(w *sim.World, id sim.NodeID) string {
	a, ok := w.Agent(id).(*node)
	if !ok || a == nil {
		return "down"
	}
	return a.describe()
}
