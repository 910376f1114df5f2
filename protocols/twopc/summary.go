package twopc

import "strconv"

// Summary implements sim.Summarizer: transactions begun and decided, and the
// unfinished ones with their decisions.
func (c *coordinator) Summary() string { return "coordinator " + c.describe() }

// Summary implements sim.Summarizer: outcomes, prepared transactions and data.
func (p *participant) Summary() string { return "participant " + p.describe() }

// Summary implements sim.Summarizer: the transaction in flight, or how many
// were submitted.
func (c *Client) Summary() string {
	if c.busy {
		return "waiting #" + strconv.FormatUint(c.seq, 10) + " " + c.txn.Describe()
	}
	return "idle txns=" + strconv.FormatUint(c.seq, 10)
}
