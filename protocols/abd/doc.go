// Package abd is the multi-writer ABD atomic register (Attiya, Bar-Noy and Dolev;
// the multi-writer form of Lynch and Shvartsman) built on package quorum, over a
// configuration of replicas that changes while it runs.
//
// Replicas hold one tagged value, durable before they acknowledge. Clients are the
// readers and writers: a write asks a majority for their tags, picks a tag above
// every tag it saw, tag = (counter, writer), and stores its value at a majority; a
// read asks a majority for their tagged values, writes the newest back to a
// majority, and returns it. The write-back is what makes reads atomic: without it
// two reads that follow each other can see a new value and then an old one.
//
// Reconfiguration follows the two-phase configuration upgrade of RAMBO (Lynch and
// Shvartsman, "RAMBO: A Reconfigurable Atomic Memory Service for Dynamic
// Networks", DISC 2002): read the register from a quorum of the old configuration,
// then write it to a quorum of the new one. As in Vertical Paxos (Lamport, Malkhi
// and Zhou, PODC 2009) a configuration master, the admin, chooses each next
// configuration (so no consensus is needed on it) and the read also stops the old
// configuration, so clients use one configuration at a time rather than every
// active one as RAMBO's do. Configurations are numbered by epochs, and every
// client call carries its epoch (quorum.Spec.ConfigEpoch):
//
//  1. Seal (read old): the admin sends the next configuration to the one in
//     force; each replica moves to it durably, from then on redirects calls of
//     the old epoch to it, and answers with its tagged value. A majority must
//     answer.
//  2. Transfer (write new): the admin stores the newest value read at a
//     majority of the next configuration; a replica serves the new epoch only
//     once the transfer reached it, and leaves calls of an epoch it does not
//     serve yet unanswered (the client resends).
//
// Why this is linearizable across changes: a call completes only with a majority
// of one configuration all answering in its epoch. An operation that completed in
// epoch e had its value at a majority of e before those replicas were sealed, and
// the seal's majority meets it, so the transfer carries the value into e+1, and by
// induction into every later configuration, whose serving replicas all hold the
// transfer. An operation of an older epoch cannot complete once a newer one has
// served anything: the seal took a majority of the old configuration for good.
// Clients learn a new configuration from a redirect (quorum.ErrStaleConfig) and
// repeat the phase in it. Spare replicas (-param spares=N) exist from the start so
// that nodes can join; the nemesis's reconfigure faults (add, remove, replace)
// reach the admin as requests, one change at a time.
//
// Checkers: linearizability of the client history against the register model (at
// the end of the run), tags and configuration epochs that never go back at a
// replica, tags that never name two values, a replica serving a configuration
// only with every value an operation completed before the change to it began
// (serves-transferred-state; always), and a completed operation after the nemesis
// heals (eventually). Planted bugs: skip-write-back, minority-quorum,
// serve-before-transfer, transfer-from-one and stale-epoch-accepted (BUGS.md).
package abd
