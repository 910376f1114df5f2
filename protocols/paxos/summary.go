package paxos

// Summary implements sim.Summarizer: role, ballot (the one this node leads or
// campaigns with; a follower's leader), then what its acceptor promised and
// its replica applied.
func (n *node) Summary() string {
	s := n.role.String()
	if n.role != roleFollower {
		s += " ballot=" + n.ballot.String()
	} else {
		s += " leader=" + name(n.leader)
	}
	s += " promised=" + n.promised.String() + " applied=" + u(n.applied) + " accepted=" + u(uint64(len(n.accepted)))
	if n.role == roleLeader {
		s += " next=" + u(n.next) + " inflight=" + u(uint64(len(n.proposals)))
	}
	return s
}
