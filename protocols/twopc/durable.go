package twopc

import (
	"fmt"

	"github.com/orrery-sim/orrery/checkers/durable"
	"github.com/orrery-sim/orrery/sim"
)

// PropLogDurable: no server takes back what it told another: a participant
// never forgets a transaction it voted on or an outcome it learned, and the
// coordinator never forgets a transaction it began or a decision it made,
// crash or not. The write-ahead logs exist for exactly this.
const PropLogDurable = "log-durable"

// logView counts the transactions a server knows and those it knows the
// outcome of; both only grow (records are never deleted).
type logView struct{ known, decided int }

func logDurable(servers []sim.NodeID) *durable.Checker[logView] {
	view := func(a sim.Agent) (logView, bool) {
		switch s := a.(type) {
		case *participant:
			v := logView{known: len(s.txns)}
			for _, tx := range s.txns { // lint:ordered counts only
				if tx.State == stateCommitted || tx.State == stateAborted {
					v.decided++
				}
			}
			return v, true
		case *coordinator:
			v := logView{known: len(s.txns)}
			for _, tx := range s.txns { // lint:ordered counts only
				if tx.Decision != Undecided {
					v.decided++
				}
			}
			return v, true
		}
		return logView{}, false
	}
	covers := func(now, promised logView) error {
		switch {
		case now.known < promised.known:
			return fmt.Errorf("%d transactions on record, after telling of %d", now.known, promised.known)
		case now.decided < promised.decided:
			return fmt.Errorf("%d outcomes on record, after telling of %d", now.decided, promised.decided)
		}
		return nil
	}
	return durable.New(servers, view, covers)
}
