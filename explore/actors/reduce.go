package actors

import (
	"github.com/orrery-sim/orrery/explore"
	"github.com/orrery-sim/orrery/internal/statehash"
)

// Partial-order reduction (explore.Independence). Two actions are
// independent when they are deliveries, drops, timer firings or client
// requests at different agents and none of the following holds:
//   - either crashes or restarts a box (that changes which agents are up,
//     which actions are enabled and the crash budget);
//   - both are client requests (the next request goes to whichever comes
//     first), or both invoke or complete client operations (the history
//     records operations in order, and the first reply to one counts);
//   - the configuration has a global state constraint (WithinBounds): two
//     agents may each stay within it and together leave it;
//   - with InFlightMax, the messages in flight after both would exceed it;
//   - under timed exploration (Config.TimeMax), either fires a timer: a
//     firing may advance the state's clock, which every handler reads.
//
// Why the rest commute: a handler changes only its own agent, store and
// timers, consumes its own message and adds its sends to the network; the
// network is a multiset (or a set, or FIFO links, where a send appends to a
// link's tail and a delivery takes a head, so a delivery to one agent and a
// send by another touch different ends even on the same link); a drop
// removes one copy of its message, whichever agent sent what. Fires,
// Accepts and AgentWithinBounds look at one agent (ExploreSpec says so), so
// another agent's step neither enables nor disables an action, nor moves an
// agent across its bound. Properties judge states, which the reduction
// keeps all of.

// Layout of Move.Info: the action kind, the agent, whether the step invoked
// or completed a client operation, and how many messages it added to the
// network (sends minus the one consumed).
const (
	infoKindBits    = 4
	infoNodeShift   = infoKindBits
	infoNodeBits    = 24
	infoHistoryBit  = infoNodeShift + infoNodeBits
	infoGrowthShift = infoHistoryBit + 1
)

// ActionKey implements explore.Independence: the kind, the agent and what
// the action acts on (the message, the timer, the box).
func (m *Model) ActionKey(a Action) uint64 {
	var h statehash.Hasher
	h.WriteUint64(uint64(a.Kind))
	switch a.Kind {
	case Deliver, Drop:
		h.WriteUint64(a.fp)
	case Fire:
		h.WriteInt64(int64(a.Node))
		h.WriteString(a.Timer)
	case Request:
		h.WriteInt64(int64(a.Node))
	case Crash, Restart:
		h.WriteInt64(int64(a.Index))
	}
	return h.Sum64()
}

// Taken implements explore.Independence.
func (m *Model) Taken(s State, a Action, next State) uint64 {
	info := uint64(a.Kind) | uint64(a.Node)<<infoNodeShift
	if next.history != s.history {
		info |= 1 << infoHistoryBit
	}
	growth := int64(len(next.net)) - int64(len(s.net))
	return info | uint64(growth)<<infoGrowthShift
}

func infoKind(info uint64) ActionKind { return ActionKind(info & (1<<infoKindBits - 1)) }
func infoNode(info uint64) uint64     { return info >> infoNodeShift & (1<<infoNodeBits - 1) }
func infoHistory(info uint64) bool    { return info>>infoHistoryBit&1 == 1 }
func infoGrowth(info uint64) int64    { return int64(info) >> infoGrowthShift }

// Independent implements explore.Independence (see above).
func (m *Model) Independent(s State, a, b explore.Move) bool {
	ka, kb := infoKind(a.Info), infoKind(b.Info)
	switch {
	case m.cfg.WithinBounds != nil:
		return false
	case ka >= Crash || kb >= Crash:
		return false
	case m.timed() && (ka == Fire || kb == Fire):
		return false // a firing may advance the clock every handler reads
	case infoNode(a.Info) == infoNode(b.Info):
		return false
	case ka == Request && kb == Request:
		return false
	case infoHistory(a.Info) && infoHistory(b.Info):
		return false
	}
	if m.cfg.InFlightMax > 0 {
		return int64(len(s.net))+infoGrowth(a.Info)+infoGrowth(b.Info) <= int64(m.cfg.InFlightMax)
	}
	return true
}
