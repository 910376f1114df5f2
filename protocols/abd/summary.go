package abd

import "strconv"

// Summary implements sim.Summarizer: the replica's tag and value.
func (r *Replica) Summary() string {
	if r.state.Tag == (Tag{}) {
		return "replica unset"
	}
	return "replica tag=" + r.state.Tag.String() + " value=" + strconv.Quote(r.state.Value)
}

// Summary implements sim.Summarizer: idle, or the phase of the operation in
// flight (query, store), the operation and its quorum call.
func (c *Client) Summary() string {
	if c.phase == phaseIdle {
		return "idle ops=" + strconv.Itoa(c.issued)
	}
	return [...]string{"idle", "query", "store"}[c.phase] + " " + c.op.Describe() + " (" + c.caller.Describe() + ")"
}

// Summary implements sim.Summarizer: the configuration in force and, during a
// change, the one being installed and its phase (read old, write new).
func (a *Admin) Summary() string {
	s := "admin epoch=" + strconv.FormatUint(a.config.Epoch, 10) + " members=" + strconv.Itoa(len(a.config.Nodes))
	if !a.busy {
		return s + " idle"
	}
	phase := "reading old"
	if a.sealed {
		phase = "writing new"
	}
	return s + " installing epoch=" + strconv.FormatUint(a.next.Epoch, 10) + " " + phase
}
