// Package raft is Raft (Ongaro & Ousterhout) serving a linearizable key-value
// store, written as simulation agents in the style of etcd/raft: a server is a
// pure state machine whose role is a function value (step = stepLeader), whose
// transitions are becomeFollower, becomePreCandidate, becomeCandidate and
// becomeLeader (an illegal transition panics), and which acts only through its
// sim.Context.
//
// The contract with the world: every change to the current term, the vote, the
// log or the snapshot is written to ctx.Storage() and synced before the handler
// returns, so the messages that depend on it (a granted vote, an
// acknowledgement of entries) leave only after it is durable. Start is also
// recovery: it rebuilds term, vote, snapshot and log from what was synced; the
// commit index is volatile and restarts at the snapshot index.
//
// The package implements leader election with randomized timeouts and
// optional pre-vote, check-quorum (a leader that has not heard from a majority
// for an election timeout steps down), log replication with nextIndex and
// matchIndex and a conflict-term hint for fast back-off, commitment only of
// current-term entries (a no-op is appended on election), log compaction with
// snapshots and InstallSnapshot, client sessions (client id + sequence number)
// so that retried commands apply exactly once, and linearizable reads through
// ReadIndex confirmed by a heartbeat round. Clients find the leader through
// redirects, time out and retry; an operation they give up on stays open in the
// history.
//
// Checkers (election safety, log matching, leader completeness, state machine
// safety, monotonic term and commit index, linearizability of the client
// history, a write completing after the nemesis heals) watch every run, and
// planted bugs (Options.Bug) re-create well-known Raft bug classes; BUGS.md
// records how quickly each is caught.
package raft
