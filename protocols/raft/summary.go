package raft

// Summary implements sim.Summarizer: role, term, commit index, then the rest
// of the one-line rendering that scenario output and the model checker use.
func (n *node) Summary() string { return n.describe() }
