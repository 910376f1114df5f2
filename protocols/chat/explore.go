package chat

import (
	"fmt"

	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/sim"
)

// Bounds of the model-checked setting (simrun -explore -protocol chat).
const (
	// exploreInFlightMax bounds the messages in flight: heartbeats re-arm
	// forever, so without it the network grows without end.
	exploreInFlightMax = 4
	exploreDepthMax    = 12
)

// exploreRequests are the messages the checker submits, each to any server:
// two, the fewest for one origin's entries to arrive out of order.
var exploreRequests = []any{"a", "b"}

// exploreSpec is the chat room under exhaustive exploration: the servers
// only (the checker submits exploreRequests instead of running clients),
// with delivery properties judged on what each server's log holds: no entry
// twice, and each origin's entries in order from its first.
func exploreSpec(o protocols.Options) (*protocols.ExploreSpec, error) {
	if o.Nodes < 1 {
		return nil, fmt.Errorf("chat needs at least one server, got %d", o.Nodes)
	}
	setup := func(w *sim.World) (*protocols.Instance, error) {
		servers := make([]sim.NodeID, o.Nodes)
		for i := range servers {
			self := i
			servers[i] = w.AddAgent(sim.AgentSpec{Name: fmt.Sprintf("n%d", i+1), New: func() sim.Agent {
				return newServer(self, servers, o.Bug)
			}})
		}
		w.AddProperty(sim.Property{Name: "no-duplicate-delivery", Kind: sim.Always, Check: func(w *sim.World) error {
			return eachLog(w, servers, stateNoDuplicates)
		}})
		w.AddProperty(sim.Property{Name: "fifo-per-origin", Kind: sim.Always, Check: func(w *sim.World) error {
			return eachLog(w, servers, stateFIFO)
		}})
		// The simulator's all-delivered, judged under weak fairness
		// (simrun -explore -eventually): every live server comes to hold
		// every entry some live server holds. A server that crashed may
		// stay down for ever (restarts are not fair here) and is not
		// waited for.
		w.AddProperty(sim.Property{Name: "all-delivered", Kind: sim.Eventually, Check: func(w *sim.World) error {
			return stateAllDelivered(w, servers)
		}})
		if len(servers) > 1 {
			w.AddProperty(sim.Property{Name: "relayed-delivery", Kind: sim.Sometimes, Check: func(w *sim.World) error {
				for i, id := range servers {
					if s := ServerOf(w, id); s != nil && s.next != nil && len(s.log) > s.next[i] {
						return nil
					}
				}
				return fmt.Errorf("no server delivered another's entry")
			}})
		}
		return &protocols.Instance{Servers: servers, Tolerates: len(servers) - 1, Describe: func(w *sim.World, id sim.NodeID) string {
			if s := ServerOf(w, id); s != nil {
				return s.Describe()
			}
			return "down"
		}}, nil
	}
	return &protocols.ExploreSpec{Setup: setup, Requests: exploreRequests, InFlightMax: exploreInFlightMax, DepthMax: exploreDepthMax}, nil
}

func eachLog(w *sim.World, servers []sim.NodeID, check func(log []Entry) error) error {
	for _, id := range servers {
		if s := ServerOf(w, id); s != nil {
			if err := check(s.log); err != nil {
				return fmt.Errorf("n%d: %v", id+1, err)
			}
		}
	}
	return nil
}

func stateNoDuplicates(log []Entry) error {
	seen := map[[2]int]bool{}
	for _, e := range log {
		key := [2]int{e.Origin, e.Seq}
		if seen[key] {
			return fmt.Errorf("delivered %d.%d twice", e.Origin+1, e.Seq)
		}
		seen[key] = true
	}
	return nil
}

// stateFIFO: each origin's entries appear in the log as 1, 2, 3, ...
// (duplicates are no-duplicate-delivery's to report).
func stateFIFO(log []Entry) error {
	next := map[int]int{}
	for _, e := range log {
		switch {
		case e.Seq <= next[e.Origin]:
		case e.Seq != next[e.Origin]+1:
			return fmt.Errorf("delivered %d.%d after %d.%d", e.Origin+1, e.Seq, e.Origin+1, next[e.Origin])
		default:
			next[e.Origin] = e.Seq
		}
	}
	return nil
}

// stateAllDelivered: no live server lacks an entry another live server has
// delivered.
func stateAllDelivered(w *sim.World, servers []sim.NodeID) error {
	for o := range servers {
		best, who := 0, sim.External
		for _, id := range servers {
			if s := ServerOf(w, id); s != nil && s.next[o] > best {
				best, who = s.next[o], id
			}
		}
		for _, id := range servers {
			if s := ServerOf(w, id); s != nil && s.next[o] < best {
				return fmt.Errorf("%s has %d of n%d's entries, %s has %d", w.Name(id), s.next[o], o+1, w.Name(who), best)
			}
		}
	}
	return nil
}
