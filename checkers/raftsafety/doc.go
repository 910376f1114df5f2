// Package raftsafety checks the safety properties of the Raft paper (§5.2–5.4,
// Figure 3) on any Raft implementation running in a simulated world: election
// safety, one vote per term, log matching, leader completeness (in its
// inductive form, which fails before a bad election has to happen), state
// machine safety, and monotonic term, commit and applied indexes.
//
// An implementation provides a View of each server: its durable state (term,
// vote, log), its volatile state (role, commit and applied indexes) and what
// the handler that just ran changed (the lowest log index it wrote, the
// entries it applied). A Checker registers the properties with
// sim.World.AddProperty and looks after every event only at the server whose
// handler ran, and there only at what the handler changed; what it learns
// accumulates in run-wide records (the leader of every term, every
// (index, term) ever stored, every committed entry, the state machine after
// every applied index) against which each change is checked. So the cost of a
// check is proportional to the change, not to the size of the logs.
//
// The property names are those of the constants below; verdicts, tests and
// shrinking name them.
package raftsafety
