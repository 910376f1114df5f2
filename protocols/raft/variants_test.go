package raft_test

import (
	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/protocols/raft"
)

// raft-prevote is the registered protocol with pre-vote on, for tests.
func init() {
	p, _ := protocols.Lookup("raft")
	q := *p
	q.Name = "raft-prevote"
	q.Setup = raft.Setup(raft.Config{PreVote: true, CheckQuorum: true})
	protocols.Register(&q)
}
