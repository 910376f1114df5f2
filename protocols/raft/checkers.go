package raft

import (
	"fmt"

	"github.com/orrery-sim/orrery/checkers/raftsafety"
	"github.com/orrery-sim/orrery/sim"
	"github.com/orrery-sim/orrery/workload/kv"
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
	PropLinearizable       = kv.PropLinearizable
	PropWriteAfterHeal     = kv.PropWriteAfterHeal
)

func name(id sim.NodeID) string { return fmt.Sprintf("n%d", id+1) }

func describeServer(w *sim.World, id sim.NodeID) string {
	switch a := w.Agent(id).(type) {
	case *node:
		if a != nil {
			return a.describe()
		}
	case *admin:
		return a.describe()
	}
	return "down"
}
