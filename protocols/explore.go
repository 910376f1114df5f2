package protocols

import "github.com/orrery-sim/orrery/sim"

// ExploreSpec is what a protocol supplies to be model-checked with its own
// agents (explore/actors): the agents run unchanged, the checker enumerates
// message deliveries, timer firings, crashes and client requests instead of
// drawing them from a seed, and the spec bounds the search.
type ExploreSpec struct {
	// Setup adds the agents and the properties to check to an empty world, as
	// Protocol.Setup does, for exploration: usually without workload clients
	// (Requests replace them). The checker evaluates the world's Always and
	// Sometimes properties on every explored state, shown to them through a
	// world that holds that state (sim.Sandbox): a property must be a function
	// of the agents, stores and history it sees, with no memory between calls,
	// and must not rely on World.Current or World.Events. Eventually and AtEnd
	// properties are not checked.
	Setup func(w *sim.World) (*Instance, error)
	// Requests are client operations (payloads of sim.Request) the checker may
	// inject, in this order, each to any one of the Instance's servers.
	Requests []any
	// WithinBounds is a state constraint (a TLC CONSTRAINT): a reachable state
	// it rejects is checked but not expanded, e.g. Raft's maximum term. It sees
	// the state as properties do. Nil: every state is within bounds.
	WithinBounds func(w *sim.World) bool
	// DepthMax is the default depth bound (TLC's depth: an initial state has
	// depth 1); 0 means none.
	DepthMax int
}
