package raft

import (
	"fmt"
	"slices"

	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/sim"
)

// Bounds of the model-checked setting (simrun -explore -protocol raft).
const (
	exploreTermMax       = 3 // states past this term are checked but not expanded
	exploreHeartbeatsMax = 0 // heartbeat rounds per leader
	exploreLogMax        = 2 // entries in any log
	// exploreInFlightMax bounds the messages in flight: a state with more is
	// checked but not expanded. Every message is delivered to the agent's
	// own code, stale ones too, so messages of finished campaigns stay in
	// flight until they arrive; without this bound three servers reach
	// millions of states by depth 14. Figure 8 needs more than four in
	// flight at once: it is out of reach of the default bounds (the test
	// re-executes the paper's story instead), while a stale AppendEntries
	// (truncate-on-stale) is found at depth 10.
	exploreInFlightMax = 4
	// exploreDepthMax is the default depth bound, in states: the length of
	// the shortest Figure 8 counterexample with three servers when stale
	// messages could be dropped.
	exploreDepthMax = 18
)

// exploreRequests are the client writes the checker injects: three puts, the
// fewest for Figure 8 with three servers: the first, taken by the leader of
// term 1, is committed by counting in term 3 while a server holds the second,
// of term 2; the third gives the term-3 leader an entry of its own, without
// which it does not count itself (there is no election no-op in the bug).
var exploreRequests = []any{Op{Kind: OpPut, Key: "a", Value: "1"}, Op{Kind: OpPut, Key: "a", Value: "2"}, Op{Kind: OpPut, Key: "a", Value: "3"}}

// exploreSpec is Raft under exhaustive exploration: the servers only (the
// checker injects exploreRequests instead of running clients), terms up to
// exploreTermMax, and invariants that are functions of one state. The run's
// checkers (tracker) keep run-wide records of every entry ever stored or
// committed and look only at the server that just stepped, which a state
// does not have; these check what a state shows: the up servers' logs,
// commit indexes and roles.
func exploreSpec(o protocols.Options) (*protocols.ExploreSpec, error) {
	cfg, err := configure(DefaultConfig, o)
	if err != nil {
		return nil, err
	}
	setup := func(w *sim.World) (*protocols.Instance, error) {
		servers := make([]sim.NodeID, o.Nodes+max(exploreSpares(o), 0))
		for i := range servers {
			servers[i] = sim.NodeID(i)
		}
		for i := range servers {
			w.AddAgent(sim.AgentSpec{Name: name(sim.NodeID(i)), New: func() sim.Agent { return newNode(cfg, servers, exploreInitial(o, servers)) }})
		}
		for _, p := range exploreInvariants {
			w.AddProperty(sim.Property{Name: p.name, Kind: sim.Always, Check: func(w *sim.World) error { return p.check(upServers(w)) }})
		}
		for _, t := range stepChecks {
			w.AddTransition(t)
		}
		w.AddProperty(sim.Property{Name: PropLeaderElected, Kind: sim.Sometimes, Check: func(w *sim.World) error {
			for _, a := range upServers(w) {
				if a != nil && a.role == roleLeader { // nil: down
					return nil
				}
			}
			return fmt.Errorf("no leader")
		}})
		return &protocols.Instance{Servers: servers, Tolerates: (len(servers) - 1) / 2, Describe: describeServer}, nil
	}
	return &protocols.ExploreSpec{Setup: setup, Requests: exploreRequests, AgentWithinBounds: exploreWithinBounds,
		Fires: exploreFires, Normalize: exploreNormalize, Accepts: exploreAccepts, InFlightMax: exploreInFlightMax,
		DepthMax: exploreDepthMax}, nil
}

// exploreWithinBounds bounds each server: terms up to exploreTermMax,
// heartbeat rounds up to exploreHeartbeatsMax per leader, logs up to
// exploreLogMax entries. Campaigns are not bounded otherwise: two candidates
// of one term (a split vote) are explored.
func exploreWithinBounds(agent sim.Agent) bool {
	a, ok := agent.(*node)
	return !ok || (a.term <= exploreTermMax && a.readRound <= exploreHeartbeatsMax && a.log.lastIndex() <= exploreLogMax)
}

// exploreNormalize clears what a server will not read again: the checkers'
// per-handler bookkeeping (reset when a handler starts), a former
// candidate's tallies (reset when a campaign starts) and a former leader's
// heartbeat and read counters (reset when it is elected).
func exploreNormalize(a sim.Agent) {
	n, ok := a.(*node)
	if !ok {
		return
	}
	n.changedFrom, n.appliedNow, n.appliedEntries = 0, nil, nil
	if n.role == roleFollower || n.role == roleLeader {
		n.votes, n.votesGranted = nil, 0
	}
	if n.role != roleLeader {
		n.heartbeats, n.readRound, n.termCommitted = 0, 0, false
	}
}

// exploreAccepts: clients find the leader; a request to a follower would
// only be refused.
func exploreAccepts(w *sim.World, id sim.NodeID) bool {
	a, _ := w.Agent(id).(*node)
	return a != nil && a.role == roleLeader
}

// exploreFires leaves out a candidate's vote retries (its heartbeat timer):
// without loss a retry only duplicates a request still in flight; with a
// lossy network this bound also drops the retry of a lost request, which
// matters to liveness, not to the safety properties checked here.
func exploreFires(w *sim.World, id sim.NodeID, timer string) bool {
	a, _ := w.Agent(id).(*node)
	return timer != timerHeartbeat || a == nil || a.role == roleLeader
}

// upServers lists the servers that are up, by id (nil where down).
func upServers(w *sim.World) []*node {
	out := make([]*node, w.Len())
	for i := range out {
		out[i], _ = w.Agent(sim.NodeID(i)).(*node)
	}
	return out
}

var exploreInvariants = []struct {
	name  string
	check func(servers []*node) error
}{
	{PropElectionSafety, stateElectionSafety},
	{PropLogMatching, stateLogMatching},
	{PropStateMachineSafety, stateCommittedAgree},
	{PropLeaderCompleteness, stateElectable},
}

// stateElectionSafety: no two servers lead the same term.
func stateElectionSafety(servers []*node) error {
	for i, a := range servers {
		for j := i + 1; j < len(servers); j++ {
			b := servers[j]
			if a != nil && b != nil && a.role == roleLeader && b.role == roleLeader && a.term == b.term {
				return fmt.Errorf("two leaders in term %d: %s and %s", a.term, name(sim.NodeID(i)), name(sim.NodeID(j)))
			}
		}
	}
	return nil
}

// stateLogMatching: two logs with an entry of the same index and term hold
// the same entries up to there.
func stateLogMatching(servers []*node) error {
	return eachPair(servers, func(a, b *node) (uint64, bool) {
		for i := min(a.log.lastIndex(), b.log.lastIndex()); i > 0; i-- {
			ta, okA := a.log.term(i)
			tb, okB := b.log.term(i)
			if okA && okB && ta == tb {
				return i, true
			}
		}
		return 0, false
	}, PropLogMatching)
}

// stateCommittedAgree: two servers agree on every entry both committed.
func stateCommittedAgree(servers []*node) error {
	return eachPair(servers, func(a, b *node) (uint64, bool) {
		return min(a.commit, b.commit), true
	}, PropStateMachineSafety)
}

// eachPair compares, for each pair of up servers, the entries both hold up
// to the index upTo chooses.
func eachPair(servers []*node, upTo func(a, b *node) (uint64, bool), prop string) error {
	for i, a := range servers {
		for j := i + 1; j < len(servers); j++ {
			b := servers[j]
			if a == nil || b == nil {
				continue
			}
			last, ok := upTo(a, b)
			if !ok {
				continue
			}
			for k := max(a.log.firstIndex(), b.log.firstIndex()); k <= last; k++ {
				if a.log.entry(k).digest() != b.log.entry(k).digest() {
					return fmt.Errorf("%s: %s holds %s, %s holds %s", prop, name(sim.NodeID(i)), a.log.entry(k).Describe(),
						name(sim.NodeID(j)), b.log.entry(k).Describe())
				}
			}
		}
	}
	return nil
}

// stateElectable is the run checker's checkElectable on one state: no server
// lacking the highest committed entry can gather a majority of servers whose
// logs its own is at least as up-to-date as. Only up servers count (a down
// server's commit index is gone with its memory).
func stateElectable(servers []*node) error {
	var want Entry
	var by sim.NodeID
	for i, a := range servers {
		if a != nil && a.commit > want.Index && a.commit > a.log.snapIndex {
			want, by = *a.log.entry(a.commit), sim.NodeID(i)
		}
	}
	if want.Index == 0 {
		return nil
	}
	for s, sv := range servers {
		if sv == nil || holdsEntry(sv, want) {
			continue
		}
		voters := 0
		for _, id := range sv.conf.Voters { // the majority sv would count
			if v := servers[id]; v != nil && v.log.upToDate(sv.log.lastIndex(), sv.log.lastTerm()) {
				voters++
			}
		}
		if voters >= sv.conf.quorum() {
			return fmt.Errorf("%s lacks committed entry %s (committed by %s) but could win an election", name(sim.NodeID(s)), want.Describe(), name(by))
		}
	}
	return nil
}

func holdsEntry(a *node, e Entry) bool {
	if e.Index <= a.log.snapIndex {
		return true
	}
	t, ok := a.log.term(e.Index)
	return ok && t == e.Term
}

// PropLeaderMatch names the transition property that a leader's match
// index for a follower never goes back within its term.
const PropLeaderMatch = "leader-match-monotonic"

// serverView is what the transition properties compare across one step of
// a server.
type serverView struct {
	term, commit uint64
	vote         sim.NodeID
	leader       bool
	match        []uint64 // a leader's, else nil
	member       []bool   // a leader's: which servers its configuration holds
}

func observeServer(agent sim.Agent) any {
	a, ok := agent.(*node)
	if !ok {
		return nil
	}
	v := serverView{term: a.term, commit: a.commit, vote: a.vote, leader: a.role == roleLeader}
	if v.leader {
		v.match = slices.Clone(a.match)
		v.member = make([]bool, len(a.match))
		for peer := range v.member {
			v.member[peer] = a.conf.isMember(sim.NodeID(peer))
		}
	}
	return v
}

// stepChecks are the properties of one step of one server, judged in
// simulation and exploration alike (sim.Transition): what the run's tracker
// checks against its records of the previous view of each server, as a
// function of the step alone. A restart starts a new view (before is nil),
// so a vote or term lost across a restart shows up in the state invariants
// or the next step, not here.
var stepChecks = []sim.Transition{
	{Name: PropOneVote, Observe: observeServer, Check: func(id sim.NodeID, before, after any) error {
		b, ok := before.(serverView)
		a, _ := after.(serverView)
		if ok && b.term == a.term && b.vote != none && a.vote != b.vote {
			return fmt.Errorf("%s voted for %s and then for %s in term %d", name(id), name(b.vote), name(a.vote), a.term)
		}
		return nil
	}},
	{Name: PropMonotonic, Observe: observeServer, Check: func(id sim.NodeID, before, after any) error {
		b, ok := before.(serverView)
		a, _ := after.(serverView)
		switch {
		case !ok:
		case a.term < b.term:
			return fmt.Errorf("%s: term went back from %d to %d", name(id), b.term, a.term)
		case a.commit < b.commit:
			return fmt.Errorf("%s: commit index went back from %d to %d", name(id), b.commit, a.commit)
		}
		return nil
	}},
	leaderMatchCheck,
}

// leaderMatchCheck: a leader's match index for a member never goes back
// within its term. The run's tracker has no such check, so the simulation
// judges this one too (Setup): one checker for both.
var leaderMatchCheck = sim.Transition{Name: PropLeaderMatch, Observe: observeServer, Check: func(id sim.NodeID, before, after any) error {
	b, ok := before.(serverView)
	a, _ := after.(serverView)
	if !ok || !b.leader || !a.leader || a.term != b.term {
		return nil
	}
	for peer := range a.match {
		// A server that joins (again) starts with fresh progress: what it
		// acknowledged before it left may no longer hold.
		if a.match[peer] < b.match[peer] && b.member[peer] {
			return fmt.Errorf("%s: leader of term %d moved %s's match index back from %d to %d",
				name(id), a.term, name(sim.NodeID(peer)), b.match[peer], a.match[peer])
		}
	}
	return nil
}}

// Liveness: the spec declares no Eventually property ("a leader is
// elected", "a request commits"). Raft is not live under weak fairness
// alone: split votes can repeat for ever in a fair run, which randomized
// election timeouts make improbable rather than impossible; and
// exploreFires keeps a candidate's retries from firing, so a state with a
// campaign in progress hides an armed timer and is left out of the lasso
// search (explore.Fairness.Hidden).
