// Package cluster builds a simulated world from a JSON cluster file, as GoOvid
// does: the file maps agents (by global id) to boxes, the units of failure, and
// gives each agent a type, free-form attributes and a routing table from virtual
// destinations to one or more (physical agent, port) pairs. One virtual
// destination may fan out to several agents (multicast).
//
// Agents never name each other directly: they send through their Router, which
// wraps a message in an Envelope carrying the target's port and sends one copy per
// target. Agent types register by name (RegisterType) with the ports they accept,
// the routes they need, a decoder for their attributes and the properties a run
// with them checks. Parse validates a file completely before anything runs; every
// error names the JSON path of the offending field, e.g.
// agents[2].routes["db"][0].agent: no agent "kv9". The router is code that runs
// inside simulations: deterministic, no goroutines, no clocks.
package cluster
