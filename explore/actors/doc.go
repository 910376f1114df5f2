// Package actors model-checks agents written for simulation, unchanged: it
// turns a protocol (or any set of sim agents and properties) into an
// explore.Model, as Stateright explores its actors with BFS, DFS or random
// walks instead of a seeded scheduler.
//
// A state holds every agent (cloned with sim.CloneAgent before a handler runs,
// fingerprinted with sim.FingerprintAgent), its store with unsynced writes,
// its armed timers (names), which boxes are down, the crashes used, the client
// history, and the network: the messages in flight, a multiset (a set when
// duplicating, FIFO queues per link when ordered). An action delivers one
// message (or drops it, when lossy), fires one armed timer (timers are
// nondeterministic: any armed timer may fire next), injects the next client
// request into a server, or crashes or restarts a box within a budget.
// Handlers run in a sim.Sandbox, which captures their effects; time is
// abstracted away (the clock reads 0, unless Config.TimeMax gives states a
// clock that a timer's firing advances) and agent randomness has one fixed
// answer (Config.Chooser, by default scheduler.Zero: 0), since every timer may
// fire at any point anyway.
//
// Agent parts and messages are hash-consed by fingerprint, so states share
// one copy of each distinct agent state. Transition properties
// (sim.Transition) judge every step taken. The model implements
// explore.Independence: steps of different agents commute (see reduce.go),
// so a search with Options.Reduce skips transitions, never states.
// Model.DPOR explores without storing states: one execution per
// Mazurkiewicz trace within a depth bound (dpor.go), judging every state of
// each trace it explores.
//
// The contract: agents are deterministic functions of their state and input,
// so a state's successors are a function of the state; properties are
// functions of the state they are shown (see protocols.ExploreSpec), and a
// counterexample re-executes from its action indexes (Model.Trace) into an
// ordinary trace file.
package actors
