package paxos

import (
	"fmt"
	"slices"

	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/sim"
)

// Bounds of the model-checked setting (simrun -explore -protocol paxos).
const (
	exploreRoundMax    = 2 // ballot rounds: states past it are checked but not expanded
	exploreInFlightMax = 4 // messages in flight: states with more are not expanded
	// exploreDepthMax bounds the search of three servers or more; two servers
	// (one proposer and acceptor each, Q1 = 1 and Q2 = 2 by default) are
	// explored completely within the other bounds.
	exploreDepthMax = 16
)

// exploreRequests are the client writes the checker injects, each to a
// leader: two, so that a second leader can meet a first leader's value.
var exploreRequests = []any{Op{Kind: OpUpdate, Key: "a", Value: "1"}, Op{Kind: OpUpdate, Key: "a", Value: "2"}}

// exploreSpec is Multi-Paxos under exhaustive exploration: the servers only
// (the checker injects exploreRequests), ballots up to exploreRoundMax, and
// an invariant on what a state shows: servers that decided a slot agree on
// it. The leader's tick only retransmits, which adds nothing without loss,
// so it never fires; election timers fire at any time, so two proposers
// compete. Two servers are the setting where planted bugs are found: a
// second leader must meet a first leader's accepted value, and with three
// servers the messages that takes (prepares, heartbeats, accepts and their
// answers to two peers each) exceed exploreInFlightMax, or, with a larger
// bound, a test's time.
func exploreSpec(o protocols.Options) (*protocols.ExploreSpec, error) {
	cfg, err := newConfig(o)
	if err != nil {
		return nil, err
	}
	q1, q2 := cfg.q1, cfg.q2
	setup := func(w *sim.World) (*protocols.Instance, error) {
		for i := range cfg.peers {
			w.AddAgent(sim.AgentSpec{Name: name(sim.NodeID(i)), New: func() sim.Agent { return newNode(cfg) }})
		}
		w.AddProperty(sim.Property{Name: PropSamePrefix, Kind: sim.Always, Check: stateDecidedAgree})
		w.AddProperty(sim.Property{Name: PropValueChosen, Kind: sim.Sometimes, Check: func(w *sim.World) error {
			for id := range sim.NodeID(w.Len()) {
				if a, _ := w.Agent(id).(*node); a != nil && len(a.decided) > 0 {
					return nil
				}
			}
			return fmt.Errorf("nothing decided")
		}})
		return &protocols.Instance{Servers: cfg.peers, Tolerates: o.Nodes - max(q1, q2), Describe: ServerState}, nil
	}
	depthMax := exploreDepthMax
	if o.Nodes <= 2 {
		depthMax = 0 // finite within the other bounds: 49,606 states
	}
	return &protocols.ExploreSpec{Setup: setup, Requests: exploreRequests, InFlightMax: exploreInFlightMax, DepthMax: depthMax,
		AgentWithinBounds: func(a sim.Agent) bool { n, ok := a.(*node); return !ok || n.highest.Round <= exploreRoundMax },
		Fires:             func(_ *sim.World, _ sim.NodeID, timer string) bool { return timer != timerTick },
		Accepts: func(w *sim.World, id sim.NodeID) bool {
			n, _ := w.Agent(id).(*node)
			return n != nil && n.role == roleLeader
		}}, nil
}

// stateDecidedAgree: two servers that are up and decided a slot decided the
// same command there.
func stateDecidedAgree(w *sim.World) error {
	for a := range sim.NodeID(w.Len()) {
		na, _ := w.Agent(a).(*node)
		for b := a + 1; na != nil && b < sim.NodeID(w.Len()); b++ {
			nb, _ := w.Agent(b).(*node)
			if nb == nil {
				continue
			}
			slots := make([]uint64, 0, len(na.decided))
			for s := range na.decided { // lint:ordered sorted below
				slots = append(slots, s)
			}
			slices.Sort(slots)
			for _, s := range slots {
				if cb, ok := nb.decided[s]; ok && cb != na.decided[s] {
					return fmt.Errorf("slot %d: %s decided %s, %s decided %s", s, name(a), na.decided[s].Describe(), name(b), cb.Describe())
				}
			}
		}
	}
	return nil
}

// Liveness: the spec declares no Eventually property ("every request is
// decided"). Paxos is not live under weak fairness alone: two proposers can
// pre-empt each other's ballots for ever, and that run is fair (the
// simulated protocol escapes it by randomized election timeouts, which the
// explored clock abstracts away). Within the bounds the rivalry ends at
// exploreRoundMax, in states that are not expanded, and Fires keeps the
// proposer's tick from firing, so a state with a campaign in progress hides
// an armed timer and is left out of the lasso search anyway.
