// Package twophase is Gray and Lamport's two-phase commit specification
// (TwoPhase.tla, from "Consensus on Transaction Commit") as an explore.Model:
// variables rmState, tmState, tmPrepared and a grow-only message set msgs;
// actions TMCommit, TMAbort and, per resource manager, TMRcvPrepared,
// RMPrepare, RMChooseToAbort, RMRcvCommitMsg and RMRcvAbortMsg; invariants
// TPTypeOK and TCConsistent. A state is one bit-packed uint64 for up to 16
// resource managers, so fingerprints are exact (a bijective mix) and cheap.
// Resource managers are interchangeable, so the model supports symmetry
// reduction. Importing the package registers it as "twophase".
package twophase
