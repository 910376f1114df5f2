package raft

import "strconv"

// Summary implements sim.Summarizer: role, term, commit index, then the rest
// of the one-line rendering that scenario output and the model checker use.
func (n *node) Summary() string { return n.describe() }

// Summary implements sim.Summarizer: the operation in flight, or how many
// were issued.
func (c *client) Summary() string {
	if c.busy {
		return "waiting #" + strconv.FormatUint(c.seq, 10) + " " + c.op.Describe()
	}
	return "idle ops=" + strconv.FormatUint(c.seq, 10)
}
