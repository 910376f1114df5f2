// Package twopc is two-phase commit with recovery, in the manner of
// ToyFramework: a coordinator runs a stream of transactions over a small
// key-value store whose keys are owned by the participants, exchanging
// vote-request, vote-yes / vote-no, commit, rollback (abort), ack and
// decision-request.
//
// The contract with the world is the write-ahead log: the coordinator logs a
// transaction before asking for votes and its decision before announcing it;
// a participant logs its vote (and, voting yes, its writes and its locks)
// before sending it, and its decision with the written values before
// acknowledging it. Every log write is synced before the message that depends
// on it leaves. Start is also recovery: the coordinator re-sends logged
// decisions and aborts what it had not decided; a participant that voted yes
// and has not learned the outcome asks for it.
//
// A participant that voted yes and hears nothing runs the cooperative
// termination protocol: it asks the coordinator and the other participants.
// A participant that has decided answers with the decision; one that has not
// voted aborts unilaterally and answers abort; one that voted yes and is
// undecided cannot help. Two-phase commit blocks while the coordinator and
// every informed participant are down, so the nemesis may crash the
// coordinator (recovery must be tested) but keeps enough boxes up.
//
// Agent state is small and free of func values so that the model checker can
// clone and fingerprint it. Checkers: atomicity (no transaction is committed
// anywhere and aborted anywhere else, the coordinator included), validity (a
// commit only after every participant voted yes), client-outcome (every
// outcome a client is told is the decision taken, and stays so) and
// termination (once the nemesis heals, every participant decides every
// transaction). Planted bugs (Options.Bug) re-create classic mistakes;
// BUGS.md records how quickly each is caught.
package twopc
