package raft

import (
	"strconv"

	"github.com/orrery-sim/orrery/faults"
	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/sim"
)

// The membership variant of the explored setting (simrun -explore -protocol
// raft -param spares=S, or a planted membership bug): the -nodes voters and S
// spares, already learners of the first configuration (a learner's catch-up
// is a matter of time, not of interleavings), and instead of client writes
// the checker injects configuration changes: promote each spare, remove the
// last voter, remove n1. Each request takes one single-server step at the
// leader it reaches. With four voters, two removals by leaders of different
// terms lead to {n1 n2 n3} and {n2 n3 n4}, whose majorities {n1 n2} and
// {n3 n4} need not overlap: the rule that a leader changes the configuration
// only after committing an entry of its term keeps both from counting.

// exploreSpares is the number of spares of the membership variant, -1 when
// o does not ask for it. A bad value is refused by exploreMembership.
func exploreSpares(o protocols.Options) int {
	v, set := o.Params[ParamSpares]
	if !set {
		if membershipBug(o.Bug) {
			return 0
		}
		return -1
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || n > sparesMax {
		return 0
	}
	return n
}

// exploreInitial is the first configuration of the explored servers: all
// voters, or, in the membership variant, the spares (the last ones) learners.
func exploreInitial(o protocols.Options, servers []sim.NodeID) Membership {
	spares := max(exploreSpares(o), 0)
	voters := len(servers) - spares
	return Membership{Voters: servers[:voters:voters], Learners: servers[voters:]}
}

// exploreMembership is the registered ExploreSpec: Raft's, with the
// configuration changes as its requests in the membership variant.
func exploreMembership(o protocols.Options) (*protocols.ExploreSpec, error) {
	if _, err := sparesParam(o.Params, o.Bug); err != nil {
		return nil, err
	}
	spec, err := exploreSpec(o)
	spares := exploreSpares(o)
	if err != nil || spares < 0 {
		return spec, err
	}
	var requests []any
	for i := range spares {
		requests = append(requests, faults.Change{Op: faults.ChangeAdd, Add: sim.NodeID(o.Nodes + i), Remove: faults.NoNode})
	}
	if o.Nodes > 1 {
		requests = append(requests, faults.Change{Op: faults.ChangeRemove, Add: faults.NoNode, Remove: sim.NodeID(o.Nodes - 1)})
	}
	spec.Requests = append(requests, faults.Change{Op: faults.ChangeRemove, Add: faults.NoNode, Remove: 0})
	// Two terms and two campaigners bound this variant; Ongaro's bug needs
	// more messages in flight than the fixed-membership bound allows (8 is
	// still too few: stale vote requests stay in flight until delivered).
	spec.InFlightMax = 0
	within, fires := spec.WithinBounds, spec.Fires
	spec.WithinBounds = func(w *sim.World) bool {
		for _, a := range upServers(w) {
			if a != nil && a.term > exploreMembershipTermMax {
				return false
			}
		}
		return within == nil || within(w)
	}
	spec.Fires = func(w *sim.World, id sim.NodeID, timer string) bool {
		if timer == timerElection && int(id)%2 == 1 {
			return false // n2, n4, ... only vote
		}
		return fires == nil || fires(w, id, timer)
	}
	return spec, nil
}

// Bounds of the membership variant: two terms (two leaders, each taking one
// change), and only odd-numbered servers (n1, n3, ...) time out; the others
// only vote, which keeps four servers within reach of BFS.
const exploreMembershipTermMax = 2
