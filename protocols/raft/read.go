package raft

import (
	"github.com/orrery-sim/orrery/sim"
)

// handleRequest serves a client. Followers redirect. The leader proposes a
// write (unless the client's session shows it was applied already, in which
// case it answers from the session) and serves a read through ReadIndex.
func (n *node) handleRequest(client sim.NodeID, m MsgRequest) {
	if n.role != roleLeader {
		n.reply(client, MsgResponse{Seq: m.Seq, NotLeader: true, Leader: n.lead})
		return
	}
	if m.Op.Kind.IsRead() {
		n.read(client, m)
		return
	}
	if ss, ok := n.kv.Sessions[client]; ok && m.Seq <= ss.Seq {
		if m.Seq == ss.Seq {
			n.reply(client, MsgResponse{Seq: m.Seq, Result: ss.Result})
		}
		return
	}
	if n.log.lastIndex()-n.commit >= uncommittedMax || n.proposed(client, m.Seq) {
		return // the client retries; the entry it asked for may be in flight
	}
	n.appendEntries(Entry{Cmd: Command{Client: client, Seq: m.Seq, Op: m.Op}})
	n.broadcastAppend()
	n.maybeCommit() // a single-server cluster commits at once
}

// reply answers a client: a workload agent by message, a request injected
// from outside the world (scenario scripts) through the history. Outside
// requests use their operation id plus one as their sequence number.
func (n *node) reply(client sim.NodeID, r MsgResponse) {
	if client == sim.External {
		if r.NotLeader {
			n.ctx.Return(sim.OpID(r.Seq-1), r) // refused: no effect
		} else {
			n.ctx.Return(sim.OpID(r.Seq-1), r.Result)
		}
		return
	}
	n.send(client, r)
}

// proposed reports whether the uncommitted log already holds the command: a
// retry of an entry in flight is not appended again.
func (n *node) proposed(client sim.NodeID, seq uint64) bool {
	for i := n.log.lastIndex(); i > n.commit; i-- {
		if c := n.log.entry(i).Cmd; !n.log.entry(i).Noop && c.Client == client && c.Seq == seq {
			return true
		}
	}
	return false
}

// read queues a read until the leader knows its commit index is current (an
// entry of its term committed) and a majority confirmed in a heartbeat round
// that it still leads; then it serves the read once it applied that far.
// The stale-read bug serves it at once from local state.
func (n *node) read(client sim.NodeID, m MsgRequest) {
	if n.bug(BugStaleRead) {
		n.reply(client, MsgResponse{Seq: m.Seq, Result: n.kv.run(m.Op)})
		return
	}
	if len(n.pendingReads) >= pendingReadsMax {
		return
	}
	r := pendingRead{client: client, seq: m.Seq, op: m.Op}
	if n.termCommitted {
		r.index, r.round = n.commit, n.startRound()
	}
	n.pendingReads = append(n.pendingReads, r)
	if r.round > 0 {
		n.broadcastHeartbeat(r.round)
	}
	n.serveReads() // a single-server cluster confirms itself
}

func (n *node) startRound() uint64 {
	n.readRound++
	n.acked[n.self()] = n.readRound
	return n.readRound
}

// startPendingReads gives the reads that arrived before the leader committed
// an entry of its term their read index and a heartbeat round.
func (n *node) startPendingReads() {
	if len(n.pendingReads) == 0 {
		return
	}
	round := n.startRound()
	for i := range n.pendingReads {
		n.pendingReads[i].index, n.pendingReads[i].round = n.commit, round
	}
	n.broadcastHeartbeat(round)
}

// serveReads answers every read whose round a majority acknowledged and whose
// read index is applied, in arrival order.
func (n *node) serveReads() {
	kept := n.pendingReads[:0]
	for _, r := range n.pendingReads {
		if r.round == 0 || !n.confirmed(r.round) || n.applied < r.index {
			kept = append(kept, r)
			continue
		}
		n.reply(r.client, MsgResponse{Seq: r.seq, Result: n.kv.run(r.op)})
	}
	n.pendingReads = kept
}

func (n *node) confirmed(round uint64) bool {
	count := 0
	for _, v := range n.conf.Voters {
		if n.acked[v] >= round {
			count++
		}
	}
	return count >= n.quorum()
}
