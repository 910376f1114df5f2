package abd

import "strconv"

// Summary implements sim.Summarizer: the replica's tag and value.
func (r *Replica) Summary() string {
	if r.state.Tag == (Tag{}) {
		return "replica unset"
	}
	return "replica tag=" + r.state.Tag.String() + " value=" + strconv.Quote(r.state.Value)
}

// Summary implements sim.Summarizer: idle, or the operation and the phase of
// its quorum call.
func (c *Client) Summary() string { return c.Describe() }
