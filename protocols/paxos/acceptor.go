package paxos

import (
	"slices"

	"github.com/orrery-sim/orrery/sim"
)

// promiseDecidedMax bounds the decided values one promise carries; the
// acceptor reports its accepted values for every slot after them.
const promiseDecidedMax = 256

// onPrepare is phase 1b. The promise is durable before it leaves (the
// handler syncs), so a restarted acceptor never accepts below it.
func (n *node) onPrepare(from sim.NodeID, m MsgPrepare) {
	n.see(m.Ballot)
	if m.Ballot.Less(n.promised) {
		n.send(from, MsgNack{Ballot: m.Ballot, Promised: n.promised})
		return
	}
	before := n.promised
	n.promise(m.Ballot)
	decided := n.decidedFrom(m.From, promiseDecidedMax)
	n.send(from, MsgPromise{Ballot: m.Ballot, From: m.From, Decided: decided,
		Accepted: n.report(m.From+uint64(len(decided)), before)})
}

// onAccept is phase 2b: accept unless promised to a higher ballot.
func (n *node) onAccept(from sim.NodeID, m MsgAccept) {
	n.see(m.Ballot)
	if m.Ballot.Less(n.promised) {
		n.send(from, MsgNack{Ballot: m.Ballot, Promised: n.promised})
		return
	}
	n.promise(m.Ballot)
	a := Accepted{Slot: m.Slot, Ballot: m.Ballot, Cmd: m.Cmd}
	if cur, ok := n.accepted[m.Slot]; !ok || cur != a {
		n.accepted[m.Slot] = a
		n.persistAccepted(a)
		n.acceptedNow = append(n.acceptedNow, m.Slot)
	}
	n.send(from, MsgAccepted{Ballot: m.Ballot, Slot: m.Slot})
}

// promise raises the promised ballot. A proposer of a lower ballot that
// promises a higher one stands down: its own acceptor would refuse it.
func (n *node) promise(b Ballot) {
	if n.promised == b {
		return
	}
	n.promised = b
	n.persistPromised()
	if n.role != roleFollower && n.ballot.Less(b) {
		n.becomeFollower(b.Leader)
	}
}

// report lists the accepted values of slots from from on, in slot order. The
// promise-reports-promised-ballot bug reports each with the ballot the
// acceptor had promised, when that is higher than the one it accepted in.
func (n *node) report(from uint64, promised Ballot) []Accepted {
	var out []Accepted
	for slot, a := range n.accepted { // lint:ordered sorted below
		if slot < from {
			continue
		}
		if n.bug(BugPromiseReportsPromised) && a.Ballot.Less(promised) {
			a.Ballot = promised
		}
		out = append(out, a)
	}
	slices.SortFunc(out, func(a, b Accepted) int { return compareUint(a.Slot, b.Slot) })
	return out
}

func compareUint(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
