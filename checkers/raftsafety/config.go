package raftsafety

import "github.com/orrery-sim/orrery/sim"

// ConfigView is a View of a server whose configuration may change while it
// runs (Raft's membership changes). A View that does not implement it has a
// fixed configuration: every server the Checker was built with votes.
//
// In Raft a configuration is a log entry and takes effect on a server as soon
// as it is in its log (Ongaro's thesis §4.1), so the voters "in force at index
// i" are those of the last configuration entry at or before i in that
// server's log, or of its snapshot, or the first configuration. A server
// campaigns, counts votes and commits by the configuration at the end of its
// log; the checker judges it by the same.
type ConfigView interface {
	View
	// VotersAt returns the voters of the configuration in force at index i
	// of this server's log (the slice is read at once, not kept); ok is
	// false when the server cannot tell, say for an index its snapshot
	// covers but whose configuration it no longer has.
	VotersAt(i uint64) (voters []sim.NodeID, ok bool)
}

// electorate returns the servers whose votes count for a candidate with the
// given view and last index: all servers for a fixed configuration. The
// checker does not ask who may campaign: any server might (a server outside
// its configuration does, in Raft, to finish its own removal), and it counts
// its own vote only if it is one of these voters.
func (c *Checker) electorate(v View, last uint64) []sim.NodeID {
	if cv, ok := v.(ConfigView); ok {
		if voters, ok := cv.VotersAt(last); ok {
			return voters
		}
	}
	return c.servers
}

// position is a server's position in c.servers, -1 for an agent that is not
// one of them.
func (c *Checker) position(id sim.NodeID) int {
	if id < 0 || int(id) >= len(c.index) {
		return -1
	}
	return c.index[id]
}
