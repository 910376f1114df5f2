// Package sim is the simulated world: agents (deterministic state machines), the boxes
// that host them (units of failure), virtual time, the network, timers, durable
// storage with crash semantics, client histories and the event loop.
//
// The contract: an agent never performs I/O. Its handlers (Start, Receive, Timer)
// act only through the *Context they are given; the world applies the effects when
// the handler returns, persistence before sends. Start is also recovery: after a
// restart it sees exactly what was synced. Every nondeterministic choice (delays,
// losses, agent randomness) is drawn from a scheduler.Chooser, events are ordered by
// (virtual time, sequence number), and nothing reads the wall clock, so a run is a
// function of its configuration and its choices.
package sim
