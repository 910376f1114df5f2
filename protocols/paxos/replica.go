package paxos

import "github.com/orrery-sim/orrery/sim"

// learn records a chosen value. It is durable before anything the handler
// sends, so a replica never acts on a decision it could forget.
func (n *node) learn(slot uint64, cmd Command) {
	if _, ok := n.decided[slot]; ok || slot <= n.applied {
		return
	}
	n.decided[slot] = cmd
	n.lastDecided = max(n.lastDecided, slot)
	n.persistDecided(slot, cmd)
	if p := n.proposals[slot]; p != nil {
		delete(n.proposals, slot) // decided by another leader: its client retries
	}
}

// applyDecided applies the decided prefix in slot order. A leader answers the
// clients; every replica applies the same commands, so any would answer alike.
func (n *node) applyDecided() {
	for {
		cmd, ok := n.decided[n.applied+1]
		if !ok {
			return
		}
		n.applied++
		n.appliedNow = append(n.appliedNow, n.applied)
		r, answer := n.kv.apply(cmd, n.bug(BugNoSessionDedupe))
		if answer && n.role == roleLeader {
			n.reply(cmd, r)
		}
	}
}

func (n *node) onDecide(from sim.NodeID, m MsgDecide) {
	for i, c := range m.Cmds {
		n.learn(m.Slot+uint64(i), c)
	}
	n.applyDecided()
	if len(m.Cmds) == decideBatchMax {
		n.send(from, MsgCatchup{From: n.applied + 1}) // a full batch: there may be more
	}
}

// onCatchup answers with the applied values from m.From on.
func (n *node) onCatchup(from sim.NodeID, m MsgCatchup) {
	if cmds := n.decidedFrom(m.From, decideBatchMax); len(cmds) > 0 {
		n.send(from, MsgDecide{Slot: m.From, Cmds: cmds})
	}
}

// decidedFrom lists the applied values of slots from, from+1, ... (at most
// limit of them).
func (n *node) decidedFrom(from uint64, limit int) []Command {
	var cmds []Command
	for s := from; s <= n.applied && len(cmds) < limit; s++ {
		cmds = append(cmds, n.decided[s])
	}
	return cmds
}
