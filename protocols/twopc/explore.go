package twopc

import (
	"fmt"
	"slices"

	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/scheduler"
	"github.com/orrery-sim/orrery/sim"
)

// exploreInFlightMax bounds the network under exploration (simrun -explore
// -protocol twopc): the coordinator's tick re-sends what is unanswered,
// which would otherwise pile up without end. Within it the search is
// complete (with the clock, on the unordered network, 1.4 million states
// for two participants; 196,297 with 3 in flight, the fewest at which the
// vote timeout can commit without a vote).
const exploreInFlightMax = 4

// exploreTimeMax bounds the agents' clocks under exploration: up to the
// vote timeout (a timer due later does not fire). With the clock, every
// agent's timer deadline and a participant's next question are part of a
// state, so states multiply with each 50 ms tick the bound allows.
const exploreTimeMax = voteTimeout

// exploreSpec is two-phase commit under exhaustive exploration: the
// coordinator and the participants (no clients: the checker injects one
// transaction writing to the first two participants), with atomicity and
// validity judged on each state from what the agents hold, since the run's
// checker keeps a record per transaction across events. Each agent keeps a
// virtual clock, advanced by its timers, up to exploreTimeMax: enough for the
// coordinator's vote timeout to expire and for a prepared participant to ask
// its peers (the termination protocol), so commit-without-all-votes is
// reachable.
func exploreSpec(o protocols.Options) (*protocols.ExploreSpec, error) {
	cfg := &config{participants: o.Nodes, bug: o.Bug}
	setup := func(w *sim.World) (*protocols.Instance, error) {
		servers := []sim.NodeID{w.AddAgent(sim.AgentSpec{Name: name(coordinatorID), New: func() sim.Agent { return &coordinator{cfg: cfg} }})}
		for i := 1; i <= o.Nodes; i++ {
			servers = append(servers, w.AddAgent(sim.AgentSpec{Name: name(sim.NodeID(i)), New: func() sim.Agent { return &participant{cfg: cfg} }}))
		}
		w.AddProperty(sim.Property{Name: PropAtomicity, Kind: sim.Always, Check: stateAtomicity})
		w.AddProperty(sim.Property{Name: PropValidity, Kind: sim.Always, Check: stateValidity})
		w.AddProperty(sim.Property{Name: PropCommitted, Kind: sim.Sometimes, Check: func(w *sim.World) error {
			if c, _ := w.Agent(coordinatorID).(*coordinator); c != nil && c.txns[1] != nil && c.txns[1].Decision == Commit {
				return nil
			}
			return fmt.Errorf("not committed")
		}})
		// The simulator's termination check, on the one transaction: once
		// begun, the coordinator and every participant decide it (under
		// weak fairness, simrun -explore -eventually).
		w.AddProperty(sim.Property{Name: PropAllDecide, Kind: sim.Eventually, Check: func(w *sim.World) error {
			if c, _ := w.Agent(coordinatorID).(*coordinator); c != nil && c.txns[1] == nil {
				return nil // not begun
			}
			if who := (*tracker)(nil).undecided(w, 1); who != "" {
				return fmt.Errorf("%v is undecided at %s", TxnID(1), who)
			}
			return nil
		}})
		return &protocols.Instance{Servers: servers, Tolerates: 1 + o.Nodes/2, Describe: Describe}, nil
	}
	writes := []Write{{Key: "p1.x", Value: "1"}}
	if o.Nodes > 1 {
		writes = append(writes, Write{Key: "p2.x", Value: "2"})
	}
	return &protocols.ExploreSpec{Setup: setup, Requests: []any{Txn{Writes: writes}}, InFlightMax: exploreInFlightMax,
		Chooser: lastChoice{}, TimeMax: exploreTimeMax,
		Accepts:   func(_ *sim.World, id sim.NodeID) bool { return id == coordinatorID },
		Normalize: normalizeAskAt}, nil
}

// normalizeAskAt: a prepared participant asks once the clock reaches askAt,
// and the explored clock never passes exploreTimeMax, so every askAt past it
// means "never" and is one value.
func normalizeAskAt(a sim.Agent) {
	p, ok := a.(*participant)
	if !ok {
		return
	}
	for _, t := range p.prepared {
		if tx := p.txns[t]; tx.askAt > exploreTimeMax {
			tx.askAt = exploreTimeMax + 1
		}
	}
}

// lastChoice answers n-1 to every draw: a participant votes yes (it refuses
// only on a draw of 0), so commits are reachable.
type lastChoice struct{}

func (lastChoice) Choose(_ scheduler.Purpose, n uint64) uint64 { return n - 1 }

// decisions lists, per transaction, who holds it committed and who aborted,
// among the agents that are up (a participant's are durable, and so are the
// coordinator's decisions).
func decisions(w *sim.World) (commits, aborts map[TxnID][]sim.NodeID) {
	commits, aborts = map[TxnID][]sim.NodeID{}, map[TxnID][]sim.NodeID{}
	for id := range sim.NodeID(w.Len()) {
		switch a := w.Agent(id).(type) {
		case *coordinator:
			for t, tx := range a.txns { // lint:ordered collected into per-transaction lists, sorted below
				switch tx.Decision {
				case Commit:
					commits[t] = append(commits[t], id)
				case Abort:
					aborts[t] = append(aborts[t], id)
				}
			}
		case *participant:
			for t, tx := range a.txns { // lint:ordered as above
				switch tx.State {
				case stateCommitted:
					commits[t] = append(commits[t], id)
				case stateAborted:
					aborts[t] = append(aborts[t], id)
				}
			}
		}
	}
	return commits, aborts
}

// stateAtomicity: no transaction is held committed by one agent and aborted
// by another.
func stateAtomicity(w *sim.World) error {
	commits, aborts := decisions(w)
	for _, t := range sortedTxns(commits) {
		if len(aborts[t]) > 0 {
			return fmt.Errorf("%v committed by %s and aborted by %s", t, names(mask(commits[t])), names(mask(aborts[t])))
		}
	}
	return nil
}

// stateValidity: a transaction the coordinator committed is prepared or
// committed at every participant of it that is up (each voted yes and logged
// it; aborting it would break atomicity, forgetting it breaks this).
func stateValidity(w *sim.World) error {
	c, _ := w.Agent(coordinatorID).(*coordinator)
	if c == nil {
		return nil
	}
	for _, t := range sortedTxns(c.txns) {
		tx := c.txns[t]
		if tx.Decision != Commit {
			continue
		}
		for _, p := range tx.Participants {
			a, _ := w.Agent(p).(*participant)
			if a == nil {
				continue
			}
			if ptx := a.txns[t]; ptx == nil || (ptx.State != statePrepared && ptx.State != stateCommitted) {
				return fmt.Errorf("%v committed by coord, but %s holds no yes vote for it", t, name(p))
			}
		}
	}
	return nil
}

func sortedTxns[V any](m map[TxnID]V) []TxnID {
	out := make([]TxnID, 0, len(m))
	for t := range m { // lint:ordered sorted below
		out = append(out, t)
	}
	slices.Sort(out)
	return out
}
