package paxos

import (
	"strconv"
	"strings"

	"github.com/orrery-sim/orrery/sim"
)

// Ballot orders proposers' attempts to lead: by round, then by the proposer's
// id, so two proposers never share a ballot. The zero Ballot precedes all.
type Ballot struct {
	Round  uint64
	Leader sim.NodeID
}

// Less orders ballots.
func (b Ballot) Less(o Ballot) bool {
	return b.Round < o.Round || (b.Round == o.Round && b.Leader < o.Leader)
}

// String renders a ballot as round.leader, e.g. "3.n2"; the zero ballot is "0".
func (b Ballot) String() string {
	if b == (Ballot{}) {
		return "0"
	}
	return u(b.Round) + "." + name(b.Leader)
}

// Accepted is one acceptor's vote: the value it accepted in a slot and the
// ballot in which it did.
type Accepted struct {
	Slot   uint64
	Ballot Ballot
	Cmd    Command
}

// Describe implements sim.Describer.
func (a Accepted) Describe() string {
	return u(a.Slot) + "@" + a.Ballot.String() + "=" + a.Cmd.Describe()
}

// MsgPrepare is phase 1a: the sender asks to lead in Ballot and for the
// values accepted in every slot from From on.
type MsgPrepare struct {
	Ballot Ballot
	From   uint64
}

// MsgPromise is phase 1b: the acceptor promises to accept nothing below
// Ballot and reports every slot from From on: the values its replica knows
// decided in slots From, From+1, ... (a prefix, so that a lagging leader
// learns them instead of proposing them again), then what it accepted in every
// slot after those.
type MsgPromise struct {
	Ballot   Ballot
	From     uint64
	Decided  []Command
	Accepted []Accepted
}

// MsgAccept is phase 2a: the leader of Ballot proposes Cmd for Slot.
type MsgAccept struct {
	Ballot Ballot
	Slot   uint64
	Cmd    Command
}

// MsgAccepted is phase 2b: the acceptor accepted the proposal for Slot.
type MsgAccepted struct {
	Ballot Ballot
	Slot   uint64
}

// MsgNack rejects a prepare, accept or heartbeat of Ballot: the acceptor has
// promised the higher ballot Promised.
type MsgNack struct {
	Ballot, Promised Ballot
}

// MsgDecide announces the values chosen in slots Slot, Slot+1, ...
type MsgDecide struct {
	Slot uint64
	Cmds []Command
}

// MsgHeartbeat is the leader of Ballot saying it is alive and has applied
// every slot up to Applied, so a replica behind it asks to catch up.
type MsgHeartbeat struct {
	Ballot  Ballot
	Applied uint64
}

// MsgCatchup asks for the decided values from slot From on.
type MsgCatchup struct {
	From uint64
}

// MsgRequest is a client's operation with the client's sequence number.
type MsgRequest struct {
	Seq uint64
	Op  Op
}

// MsgResponse answers a client. A server that does not lead says so and names
// the leader it knows of (or none).
type MsgResponse struct {
	Seq       uint64
	NotLeader bool
	Leader    sim.NodeID
	Result    Result
}

func u(v uint64) string { return strconv.FormatUint(v, 10) }

func name(id sim.NodeID) string {
	if id == none {
		return "none"
	}
	return "n" + strconv.Itoa(int(id)+1)
}

// Describe implements sim.Describer.
func (m MsgPrepare) Describe() string {
	return "MsgPrepare b" + m.Ballot.String() + " from=" + u(m.From)
}

// Describe implements sim.Describer.
func (m MsgPromise) Describe() string {
	parts := make([]string, len(m.Accepted))
	for i, a := range m.Accepted {
		parts[i] = a.Describe()
	}
	return "MsgPromise b" + m.Ballot.String() + " from=" + u(m.From) + " decided=" + u(uint64(len(m.Decided))) +
		" [" + strings.Join(parts, ", ") + "]"
}

// Describe implements sim.Describer.
func (m MsgAccept) Describe() string {
	return "MsgAccept b" + m.Ballot.String() + " slot=" + u(m.Slot) + " " + m.Cmd.Describe()
}

// Describe implements sim.Describer.
func (m MsgAccepted) Describe() string {
	return "MsgAccepted b" + m.Ballot.String() + " slot=" + u(m.Slot)
}

// Describe implements sim.Describer.
func (m MsgNack) Describe() string {
	return "MsgNack b" + m.Ballot.String() + " promised=" + m.Promised.String()
}

// Describe implements sim.Describer.
func (m MsgDecide) Describe() string {
	parts := make([]string, len(m.Cmds))
	for i, c := range m.Cmds {
		parts[i] = c.Describe()
	}
	return "MsgDecide slot=" + u(m.Slot) + " [" + strings.Join(parts, ", ") + "]"
}

// Describe implements sim.Describer.
func (m MsgHeartbeat) Describe() string {
	return "MsgHeartbeat b" + m.Ballot.String() + " applied=" + u(m.Applied)
}

// Describe implements sim.Describer.
func (m MsgCatchup) Describe() string { return "MsgCatchup from=" + u(m.From) }

// Describe implements sim.Describer.
func (m MsgRequest) Describe() string { return "MsgRequest #" + u(m.Seq) + " " + m.Op.Describe() }

// Describe implements sim.Describer.
func (m MsgResponse) Describe() string {
	if m.NotLeader {
		return "MsgResponse #" + u(m.Seq) + " not leader (leader " + name(m.Leader) + ")"
	}
	return "MsgResponse #" + u(m.Seq) + " " + m.Result.Describe()
}
