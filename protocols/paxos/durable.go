package paxos

import (
	"fmt"

	"github.com/orrery-sim/orrery/checkers/durable"
	"github.com/orrery-sim/orrery/sim"
)

// PropAcceptorDurable: an acceptor never takes back what it told a proposer,
// crash or not — its promised ballot never falls, and it never forgets an
// accepted or decided value (it keeps every one: the log is not compacted).
const PropAcceptorDurable = "acceptor-durable"

// acceptorView is the part of an acceptor others rely on. Counts stand for the
// accepted and decided values: they only grow, so a lost value shows as a
// smaller count, at no cost per event.
type acceptorView struct {
	promised          Ballot
	accepted, decided int
}

func acceptorDurable(servers int) *durable.Checker[acceptorView] {
	ids := make([]sim.NodeID, servers)
	for i := range ids {
		ids[i] = sim.NodeID(i)
	}
	view := func(a sim.Agent) (acceptorView, bool) {
		n, ok := a.(*node)
		if !ok {
			return acceptorView{}, false
		}
		return acceptorView{promised: n.promised, accepted: len(n.accepted), decided: len(n.decided)}, true
	}
	covers := func(now, promised acceptorView) error {
		switch {
		case now.promised.Less(promised.promised):
			return fmt.Errorf("promised ballot %v, after promising %v", now.promised, promised.promised)
		case now.accepted < promised.accepted:
			return fmt.Errorf("%d accepted values, after reporting %d", now.accepted, promised.accepted)
		case now.decided < promised.decided:
			return fmt.Errorf("%d decided values, after %d", now.decided, promised.decided)
		}
		return nil
	}
	return durable.New(ids, view, covers)
}
