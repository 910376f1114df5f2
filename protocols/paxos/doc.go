// Package paxos is Multi-Paxos serving a key-value store, in the manner of the
// Ios agreement service: a distinguished leader runs phase 1 once per ballot
// and phase 2 once per log slot, and every server is acceptor, proposer and
// replica at once.
//
// Quorums are flexible (Howard, Malkhi, Spiegelman): phase 1 waits for Q1
// promises and phase 2 for Q2 acceptances, and Setup rejects any Q1 + Q2 <= N,
// because only intersecting quorums make a new leader see every value that may
// have been chosen. The sizes are the protocol's parameters "q1" and "q2"
// (Options.Params); by default Q2 is a majority and Q1 = N - Q2 + 1, and a
// quorum left unset beside one given is the smallest that meets it (q1=2 of
// five servers makes Q2 = 4).
//
// The contract with the world: an acceptor writes its promised ballot and each
// accepted (ballot, value) to ctx.Storage() and syncs before it replies, and a
// replica writes each decided value before acting on it; Start is also
// recovery and rebuilds the key-value store by replaying the decided prefix. A
// new leader collects the accepted values of every open slot in its promises,
// re-proposes the highest-ballot value of each and fills gaps with no-ops, so
// a value that may have been chosen is never replaced.
//
// The store serves get, exists, update, delete, count, print (every pair) and
// the non-idempotent append, all through the log. Client sessions (client id and sequence number) make a
// retried command take effect once; clients (workload/kv's, with the Ios
// operations) time out, retry and follow redirects to the leader, and an
// operation they give up on stays open in the history.
//
// Checkers watch every run: at most one value is chosen per slot (tracked from
// every acceptor's state), every replica applies the same sequence, what an
// acceptor promised or accepted in a message it sent survives its crash
// (acceptor-durable, over checkers/durable), reads are fresh and a command
// applies once (workload/kv's history checks), the client history is
// linearizable, and a write completes after the nemesis heals.
// Planted bugs (Options.Bug) re-create classic Paxos mistakes; BUGS.md records
// how quickly each is caught.
package paxos
