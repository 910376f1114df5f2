// Package paxos is Lamport's single-decree Paxos specification (Paxos.tla from
// the TLA+ examples: acceptors with maxBal, maxVBal and maxVal, a grow-only set
// of 1a, 1b, 2a and 2b messages, quorums, ballots) as an explore.Model, with
// the invariant Consistency (at most one value is chosen) and a reachability
// check that some value is chosen. The constants are finite as in TLC's
// MCPaxos: ballots 0..Ballots-1, and the quorums are the minimal majorities of
// the acceptors. Importing the package registers it as "paxos".
package paxos
