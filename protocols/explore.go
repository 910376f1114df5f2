package protocols

import (
	"github.com/orrery-sim/orrery/scheduler"
	"github.com/orrery-sim/orrery/sim"
)

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
	// and must not rely on World.Current or World.Events. Eventually
	// properties, written the same way, are checked only when asked
	// (simrun -explore -eventually: a lasso search under weak fairness);
	// AtEnd properties are not checked.
	Setup func(w *sim.World) (*Instance, error)
	// Requests are client operations (payloads of sim.Request) the checker may
	// inject, in this order, each to any one of the Instance's servers (or
	// clients, with RequestsToClients).
	Requests []any
	// RequestsToClients sends Requests to the agents that are not servers
	// (the protocol's own clients, driven as its scenario scripts drive
	// them) instead of to servers. Clients are never crashed.
	RequestsToClients bool
	// OrderedHistory stamps client operations with logical times, the index
	// of their invocation and of their return among the history's events,
	// so that properties can judge real-time order (linearizability); the
	// explored clock otherwise reads 0 throughout. States then also differ
	// by the order in which operations returned.
	OrderedHistory bool
	// WithinBounds is a state constraint (a TLC CONSTRAINT) on the whole
	// state: a reachable state it rejects is checked but not expanded. It
	// sees the state as properties do. A global constraint turns
	// partial-order reduction off (actions of two agents may each stay
	// within it and together leave it); prefer AgentWithinBounds. Nil: every
	// state is within bounds.
	WithinBounds func(w *sim.World) bool
	// AgentWithinBounds is a bound on each agent alone (say, Raft's maximum
	// term): a state in which an agent that is up falls outside it is
	// checked but not expanded. Unlike WithinBounds it leaves
	// partial-order reduction on, since actions of other agents cannot move
	// an agent across it. Nil: none.
	AgentWithinBounds func(a sim.Agent) bool
	// Fires, when set, says whether an armed timer may fire in the state the
	// world shows: a bound that leaves out timers whose firing adds nothing
	// under the explored network (say, retries when no message is lost). Nil:
	// every armed timer may fire. Like Accepts it must depend only on the
	// agent id's own state: partial-order reduction assumes that actions of
	// other agents do not enable or disable it.
	Fires func(w *sim.World, id sim.NodeID, timer string) bool
	// Accepts, when set, says whether a server takes client requests in the
	// state the world shows (say, only a leader): requests go only to those.
	// Nil: any server that is up.
	Accepts func(w *sim.World, id sim.NodeID) bool
	// AcceptsRequest is Accepts that also sees the request, for protocols
	// that route by operation (say, writes to the head of a chain and reads
	// to its tail); when set it is used instead of Accepts, and like it must
	// depend only on the agent id's own state and the request.
	AcceptsRequest func(w *sim.World, id sim.NodeID, request any) bool
	// Normalize, when set, runs on an agent after each of its handlers (on
	// the checker's own copy) and clears what the agent will never read again:
	// bookkeeping kept for the run's checkers, a former role's tallies. States
	// that differ only there are then one state (a dead-variable reduction).
	// It must not change the agent's future behaviour. Nil: none.
	Normalize func(a sim.Agent)
	// Chooser answers the agents' randomness (Context.Rand) under
	// exploration; it must be stateless, since handlers run on several
	// goroutines. Nil: scheduler.Zero. Randomness is one fixed answer, not a
	// branch of the search: timers, the usual use, fire nondeterministically
	// anyway, and a protocol whose choices matter picks the answer that
	// exercises most (twopc: participants vote yes).
	Chooser scheduler.Chooser
	// InFlightMax bounds the network: a state with more messages in flight is
	// checked but not expanded. 0 means no bound.
	InFlightMax int
	// DepthMax is the default depth bound (TLC's depth: an initial state has
	// depth 1); 0 means none.
	DepthMax int
	// TimeMax, when positive, gives each explored state a virtual clock, so
	// that code behind a timeout is reachable: a timer still fires whenever
	// it is armed, but firing advances the clock to at least the timer's
	// deadline (armed at plus duration), and Context.Now reads that clock;
	// other steps keep it. It is also the bound that keeps the search finite: a timer
	// whose deadline lies past TimeMax does not fire. 0: the clock reads 0
	// and durations are abstracted away.
	TimeMax sim.Time
}
