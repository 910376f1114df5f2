package paxos

import (
	"slices"

	"github.com/orrery-sim/orrery/sim"
)

// becomeFollower stops proposing and waits for a leader's heartbeats.
func (n *node) becomeFollower(leader sim.NodeID) {
	n.role, n.step, n.leader = roleFollower, stepFollower, leader
	n.promises, n.proposals = nil, nil
	n.ctx.CancelTimer(timerTick)
	n.resetElectionTimer()
}

// campaign starts phase 1 with a ballot above every ballot seen, asking for
// the values of every slot this replica has not applied.
func (n *node) campaign() {
	n.ballot = Ballot{Round: max(n.highest.Round, n.promised.Round) + 1, Leader: n.self()}
	n.see(n.ballot)
	n.role, n.step, n.leader = roleCandidate, stepCandidate, none
	n.from = n.applied + 1
	n.promises, n.proposals = make([]*MsgPromise, len(n.cfg.peers)), nil
	n.resetElectionTimer() // a campaign that stalls starts over, higher
	n.ctx.SetTimer(timerTick, n.cfg.tickInterval())
	n.broadcast(MsgPrepare{Ballot: n.ballot, From: n.from})
}

func stepFollower(*node, sim.NodeID, sim.Message) {} // late phase 1b and 2b answers

func stepCandidate(n *node, from sim.NodeID, m sim.Message) {
	p, ok := m.(MsgPromise)
	if !ok || p.Ballot != n.ballot || p.From != n.from || n.promises[from] != nil {
		return
	}
	n.promises[from] = &p
	promised := 0
	for _, q := range n.promises {
		if q != nil {
			promised++
		}
	}
	if promised >= n.cfg.q1 {
		n.becomeLeader()
	}
}

// becomeLeader ends phase 1: it learns what the promises report decided, and
// for every other slot from n.from to the last one any promise mentions it
// proposes the value accepted in the highest ballot, or a no-op for a gap.
func (n *node) becomeLeader() {
	recovered, last := n.recovered()
	n.role, n.step, n.leader = roleLeader, stepLeader, n.self()
	n.promises, n.proposals = nil, map[uint64]*proposal{}
	n.ctx.CancelTimer(timerElection)
	n.applyDecided()
	last = max(last, n.lastDecided)
	for s := n.from; s <= last; s++ {
		if _, ok := n.decided[s]; ok {
			continue
		}
		cmd := Command{Noop: true}
		if a, ok := recovered[s]; ok {
			cmd = a.Cmd
		}
		n.propose(s, cmd)
	}
	n.next = last + 1
	n.heartbeat()
}

// recovered merges the promises: decided values are learned, and for each
// other slot the value accepted in the highest ballot is kept. It returns
// those and the last slot any promise mentions. The ignore-promised-values
// bug drops the accepted values.
func (n *node) recovered() (map[uint64]Accepted, uint64) {
	merged := map[uint64]Accepted{}
	last := n.from - 1
	for _, p := range n.promises {
		if p == nil {
			continue
		}
		for i, c := range p.Decided {
			n.learn(p.From+uint64(i), c)
		}
		last = max(last, p.From+uint64(len(p.Decided))-1)
		if n.bug(BugIgnorePromisedValues) {
			continue
		}
		for _, a := range p.Accepted {
			if cur, ok := merged[a.Slot]; !ok || cur.Ballot.Less(a.Ballot) {
				merged[a.Slot] = a
			}
			last = max(last, a.Slot)
		}
	}
	return merged, last
}

func (n *node) propose(slot uint64, cmd Command) {
	n.proposals[slot] = &proposal{cmd: cmd}
	n.broadcast(MsgAccept{Ballot: n.ballot, Slot: slot, Cmd: cmd})
}

// stepLeader counts phase 2b answers; Q2 of them choose the value.
func stepLeader(n *node, from sim.NodeID, m sim.Message) {
	a, ok := m.(MsgAccepted)
	if !ok || a.Ballot != n.ballot {
		return
	}
	p := n.proposals[a.Slot]
	if p == nil {
		return
	}
	p.acks |= bit(from)
	if count(p.acks) < n.cfg.q2 {
		return
	}
	delete(n.proposals, a.Slot)
	n.learn(a.Slot, p.cmd)
	for _, peer := range n.cfg.peers {
		if peer != n.self() {
			n.send(peer, MsgDecide{Slot: a.Slot, Cmds: []Command{p.cmd}})
		}
	}
	n.applyDecided()
}

// onNack: a higher ballot was promised, so this proposer stands down and lets
// its election timer decide when to try again.
func (n *node) onNack(m MsgNack) {
	n.see(m.Promised)
	if n.role != roleFollower && m.Ballot == n.ballot && n.ballot.Less(m.Promised) {
		n.becomeFollower(none)
	}
}

// handleRequest proposes a client's command in the next free slot. A command
// already applied is answered from its session; one already proposed is left
// to the retransmissions.
func (n *node) handleRequest(cmd Command) {
	if n.role != roleLeader {
		if cmd.Client == sim.External {
			n.ctx.Logf("not leader: request %d dropped", cmd.Seq-1)
			return
		}
		n.send(cmd.Client, MsgResponse{Seq: cmd.Seq, NotLeader: true, Leader: n.leader})
		return
	}
	if cmd.Client != sim.External {
		if s := n.kv.sessions[cmd.Client]; cmd.Seq <= s.Seq {
			if cmd.Seq == s.Seq {
				n.reply(cmd, s.Result)
			}
			return
		}
	}
	for _, p := range n.proposals { // lint:ordered existence check
		if p.cmd == cmd {
			return
		}
	}
	if len(n.proposals) >= inflightMax {
		return // the client retries
	}
	n.propose(n.next, cmd)
	n.next++
}

// tick retransmits what is unanswered: a candidate's prepares, a leader's
// proposals, and a leader's heartbeat.
func (n *node) tick() {
	switch n.role {
	case roleCandidate:
		for _, p := range n.cfg.peers {
			if n.promises[p] == nil {
				n.send(p, MsgPrepare{Ballot: n.ballot, From: n.from})
			}
		}
	case roleLeader:
		slots := make([]uint64, 0, len(n.proposals))
		for s := range n.proposals { // lint:ordered sorted below
			slots = append(slots, s)
		}
		slices.Sort(slots)
		for _, s := range slots {
			p := n.proposals[s]
			for _, peer := range n.cfg.peers {
				if p.acks&bit(peer) == 0 {
					n.send(peer, MsgAccept{Ballot: n.ballot, Slot: s, Cmd: p.cmd})
				}
			}
		}
		n.heartbeat()
		return
	default:
		return
	}
	n.ctx.SetTimer(timerTick, n.cfg.tickInterval())
}

func (n *node) heartbeat() {
	for _, p := range n.cfg.peers {
		if p != n.self() {
			n.send(p, MsgHeartbeat{Ballot: n.ballot, Applied: n.applied})
		}
	}
	n.ctx.SetTimer(timerTick, n.cfg.tickInterval())
}

// onHeartbeat follows a leader whose ballot is at least the promised one and
// asks it for the decided values this replica lacks.
func (n *node) onHeartbeat(from sim.NodeID, m MsgHeartbeat) {
	n.see(m.Ballot)
	if m.Ballot.Less(n.promised) {
		n.send(from, MsgNack{Ballot: m.Ballot, Promised: n.promised})
		return
	}
	if n.role != roleFollower && m.Ballot != n.ballot {
		n.becomeFollower(m.Ballot.Leader)
	}
	if n.role == roleFollower {
		n.leader = m.Ballot.Leader
		n.resetElectionTimer()
	}
	if m.Applied > n.applied {
		n.send(from, MsgCatchup{From: n.applied + 1})
	}
}

func (n *node) reply(cmd Command, r Result) {
	if cmd.Client == sim.External {
		n.ctx.Return(sim.OpID(cmd.Seq-1), r)
		return
	}
	n.send(cmd.Client, MsgResponse{Seq: cmd.Seq, Result: r})
}
