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
// ReadIndex confirmed by a heartbeat round. Clients are workload/kv's: they
// find the leader through redirects, time out and retry; an operation they
// give up on stays open in the history.
//
// Checkers (checkers/raftsafety, over the view in view.go) watch every run.
// After each event they look only at the server that just stepped and at
// what its handler changed: election safety (one leader per term), one vote
// per server per term, log matching (every (index, term) ever stored holds
// one command after one previous term), leader completeness (checked when a
// leader is elected and, in its inductive form, whenever a log or the commit
// index moves: no server lacking a committed entry may be as up-to-date as a
// majority), state machine safety (one entry committed per index, one state
// after each applied index), and monotonicity: the durable term never
// decreases, across restarts too; the commit and applied indexes never
// decrease while a server runs and restart from the snapshot index, since
// they are volatile. At the end the client history must be linearizable
// (workload/kv: KV model, per-key parts; operations a client gave up on stay
// open), and in the liveness phase a write issued after the heal must
// complete. Planted bugs (Options.Bug) re-create well-known Raft bug classes;
// BUGS.md records how quickly each is caught.
//
// Membership changes (membership.go, thesis §4.1) are single-server steps,
// each a configuration entry in force on a server as soon as it is in its
// log: a server joins as a learner (it receives the log but neither votes
// nor counts toward a majority) and is promoted once it holds every
// committed entry; a leader appends a configuration only when the last one
// is committed and an entry of its own term is too (the fix of Ongaro's 2015
// bug); a leader that removed itself leads without counting itself until the
// removal commits, then steps down; servers outside their configuration do
// not campaign (except to finish their own removal), and a server that hears
// from a leader ignores their vote requests. Snapshots carry the
// configuration; recovery takes the last one in the log. With -param
// spares=N the cluster has N spares outside the first configuration and an
// admin agent that takes the nemesis's reconfigure faults, asks the leader
// for one step at a time and retries until the change is committed. The
// checkers count majorities of the configuration in force
// (raftsafety.ConfigView). Without spares nothing of this runs and runs are
// as before.
package raft
