// Package kv is the key-value workload that protocols serving clients share:
// the operations (Op, including the non-idempotent append and cas) and their
// results, a reference store (Apply), the leader-seeking client agent
// (Client: one operation at a time, each with the next session sequence
// number, sent to the presumed leader, redirected by "not leader" answers,
// retried elsewhere when unanswered and given up after a deadline, leaving
// the operation open in sim.History), and the two client-facing properties:
// linearizability of the history (at the end of the run) and
// write-after-heal (eventually, once the nemesis healed the cluster, some
// write completes).
//
// A protocol plugs in with a Protocol: how to wrap an operation into its
// request message and how to read a reply, and optionally (Route) which
// server each operation goes to, for protocols where different operations
// are served by different servers. A protocol with an operation
// vocabulary of its own uses the same client and properties through the
// generic forms (NewClient over its op type, LinearizableWith with its own
// model). The client draws every random value from its context and so is
// deterministic like any agent.
package kv
