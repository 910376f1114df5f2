package abd

import (
	"errors"
	"fmt"

	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/protocols/quorum"
	"github.com/orrery-sim/orrery/sim"
)

// Bounds of the model-checked setting (simrun -explore -protocol abd).
const (
	exploreClients = 2 // scripted clients c1, c2
	// exploreInFlightMax bounds the messages in flight: a state with more
	// is checked but not expanded. Replies a quorum call no longer needs
	// stay in flight until delivered, so the bound is what keeps the search
	// small. The new-old inversion of skip-write-back takes 16 steps (a
	// write whose store reached one replica, two reads by the other client)
	// with 8 messages in flight, the least that allows it at that depth.
	exploreInFlightMax = 8
	exploreDepthMax    = 17
)

// exploreRequests are the operations the checker injects, each to either
// client: one write and two reads, the fewest for a new-old inversion (a
// read returns the new value, a later read the old one).
var exploreRequests = []any{"write 1", "read", "read"}

// exploreSpec is ABD under exhaustive exploration: the replicas and two
// scripted clients that take the checker's requests, each client one
// operation at a time (a request goes to an idle client). Properties are
// functions of one state (linearizability of the client history, whose
// operations carry logical times; one value per tag across replicas) or of
// one replica's step (its tag never goes back). A phase's retry timer never
// fires: without loss a retry only duplicates requests still in flight.
func exploreSpec(o protocols.Options) (*protocols.ExploreSpec, error) {
	if o.Nodes < 1 {
		return nil, fmt.Errorf("abd needs at least one replica, got %d", o.Nodes)
	}
	setup := func(w *sim.World) (*protocols.Instance, error) {
		// A fixed configuration: exploration leaves reconfiguration out.
		replicas := make([]sim.NodeID, o.Nodes)
		for i := range replicas {
			replicas[i] = sim.NodeID(i)
		}
		initial := quorum.Configuration{Epoch: 1, Nodes: replicas}
		for i := range replicas {
			w.AddAgent(sim.AgentSpec{Name: fmt.Sprintf("n%d", i+1), New: func() sim.Agent { return newReplica(initial, o.Bug) }})
		}
		for i := range exploreClients {
			w.AddAgent(sim.AgentSpec{Name: fmt.Sprintf("c%d", i+1), New: func() sim.Agent { return newClient(initial, o.Bug, true) }})
		}
		w.AddProperty(sim.Property{Name: PropLinearizable, Kind: sim.Always, Check: CheckLinearizable})
		w.AddProperty(sim.Property{Name: PropTagUnique, Kind: sim.Always, Check: func(w *sim.World) error { return stateTagUnique(w, replicas) }})
		w.AddProperty(sim.Property{Name: PropReadSawWrite, Kind: sim.Sometimes, Check: stateReadSawWrite})
		w.AddTransition(sim.Transition{Name: PropTagsForward, Observe: observeTag, Check: checkTagForward})
		return &protocols.Instance{Servers: replicas, Tolerates: (len(replicas) - 1) / 2, Describe: describe}, nil
	}
	return &protocols.ExploreSpec{Setup: setup, Requests: exploreRequests, RequestsToClients: true, OrderedHistory: true,
		Fires: func(*sim.World, sim.NodeID, string) bool { return false }, InFlightMax: exploreInFlightMax, DepthMax: exploreDepthMax,
		Accepts:   func(w *sim.World, id sim.NodeID) bool { c, _ := w.Agent(id).(*Client); return c != nil && c.idle() },
		Normalize: normalizeClient}, nil
}

// idle: the client runs no operation and has none queued.
func (c *Client) idle() bool { return c.phase == phaseIdle && len(c.queue) == 0 }

// normalizeClient clears what an idle client will not read again: the last
// operation, its result and its phase's argument (begin sets them afresh).
func normalizeClient(a sim.Agent) {
	if c, ok := a.(*Client); ok && c.phase == phaseIdle {
		c.op, c.opID, c.result, c.arg, c.redirects = Op{}, 0, Result{}, nil, 0
	}
}

// stateTagUnique: no two replicas that are up hold different values under
// one tag.
func stateTagUnique(w *sim.World, replicas []sim.NodeID) error {
	for i, a := range replicas {
		ra, _ := w.Agent(a).(*Replica)
		for _, b := range replicas[i+1:] {
			rb, _ := w.Agent(b).(*Replica)
			if ra != nil && rb != nil && ra.state.Tag == rb.state.Tag && ra.state.Value != rb.state.Value {
				return fmt.Errorf("tag %v names both %q and %q", ra.state.Tag, ra.state.Value, rb.state.Value)
			}
		}
	}
	return nil
}

func stateReadSawWrite(w *sim.World) error {
	for _, op := range w.History().Ops {
		if r, ok := op.Output.(Result); ok && op.Done && r.Exists {
			return nil
		}
	}
	return errors.New("no read has returned a written value")
}

// observeTag reads a replica's tag (clients have none).
func observeTag(a sim.Agent) any {
	if r, ok := a.(*Replica); ok {
		return r.state.Tag
	}
	return nil
}

// checkTagForward: a replica's tag never goes back within a run of it.
func checkTagForward(id sim.NodeID, before, after any) error {
	b, ok := before.(Tag)
	if a, _ := after.(Tag); ok && a.Less(b) {
		return fmt.Errorf("n%d: tag went back from %v to %v", id+1, b, a)
	}
	return nil
}

// Liveness: the spec declares no Eventually property ("every invoked
// operation returns"). A phase keeps its retry timer armed until it
// completes, and Fires above keeps that timer from firing, so every state
// with an operation in progress hides an armed timer and is left out of the
// lasso search (explore.Fairness.Hidden): the property would hold
// vacuously, whatever the replicas did.
