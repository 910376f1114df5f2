package raft

import (
	"strconv"
	"strings"

	"github.com/orrery-sim/orrery/sim"
)

// MsgPreVote asks whether the sender could win an election in Term (its own
// term plus one) without anyone changing term yet (Raft thesis §9.6).
type MsgPreVote struct {
	Term, LastIndex, LastTerm uint64
}

// MsgPreVoteResp answers a pre-vote: Term is the pre-vote's term when granted,
// the responder's own term when not.
type MsgPreVoteResp struct {
	Term    uint64
	Granted bool
}

// MsgVote is RequestVote.
type MsgVote struct {
	Term, LastIndex, LastTerm uint64
}

// MsgVoteResp answers a vote request.
type MsgVoteResp struct {
	Term    uint64
	Granted bool
}

// MsgApp is AppendEntries; with no entries it is a heartbeat. Round numbers
// the leader's heartbeat rounds so a follower's answer confirms the leader's
// leadership for reads waiting on that round (ReadIndex).
type MsgApp struct {
	Term, PrevIndex, PrevTerm, Commit uint64
	Entries                           []Entry
	Round                             uint64
}

// MsgAppResp answers MsgApp and MsgSnap. On success Index is the last index
// known to match the leader's log. On rejection Index is the rejected
// PrevIndex and the hint says where the follower's log may diverge: the first
// index of its conflicting term (ConflictTerm > 0), or its log's end.
type MsgAppResp struct {
	Term          uint64
	Success       bool
	Index         uint64
	ConflictTerm  uint64
	ConflictIndex uint64
	Round         uint64
}

// MsgSnap is InstallSnapshot, sent whole: the state of this store is small.
type MsgSnap struct {
	Term     uint64
	Snapshot Snapshot
	Round    uint64
}

// Snapshot is the state machine (data and sessions) after applying every entry
// up to Index, and the configuration in force at Index with the index of its
// entry (nil while that is the first configuration).
type Snapshot struct {
	Index, Term uint64
	Data        []byte
	Conf        *Membership `json:",omitempty"`
	ConfIndex   uint64      `json:",omitempty"`
}

// MsgAdmin asks the leader to change the configuration toward a goal: Add
// joins as a voter, Remove leaves (either may be none). The admin sends it
// again until the answer is done or refused.
type MsgAdmin struct {
	Seq         uint64
	Add, Remove sim.NodeID
}

// adminStatus is where a membership change stands.
type adminStatus uint8

const (
	adminPending adminStatus = iota // a step is under way, or must wait
	adminDone                       // the goal is reached and committed
	adminRefused                    // the goal cannot be reached
)

var adminStatusNames = [...]string{"pending", "done", "refused"}

// MsgAdminResp answers MsgAdmin, with the leader's configuration.
type MsgAdminResp struct {
	Seq       uint64
	NotLeader bool
	Leader    sim.NodeID
	Status    adminStatus
	Reason    string
	Conf      Membership
}

// MsgRequest is a client's operation. Writes carry the client's sequence
// number for exactly-once application.
type MsgRequest struct {
	Seq uint64
	Op  Op
}

// MsgResponse answers a client. A server that is not the leader says so and
// names the leader it knows of (or none).
type MsgResponse struct {
	Seq       uint64
	NotLeader bool
	Leader    sim.NodeID
	Result    Result
}

func u(v uint64) string { return strconv.FormatUint(v, 10) }

func yesNo(b bool) string {
	if b {
		return "granted"
	}
	return "rejected"
}

// Describe implements sim.Describer.
func (m MsgPreVote) Describe() string {
	return "MsgPreVote t" + u(m.Term) + " last=" + u(m.LastIndex) + "/" + u(m.LastTerm)
}

// Describe implements sim.Describer.
func (m MsgPreVoteResp) Describe() string {
	return "MsgPreVoteResp t" + u(m.Term) + " " + yesNo(m.Granted)
}

// Describe implements sim.Describer.
func (m MsgVote) Describe() string {
	return "MsgVote t" + u(m.Term) + " last=" + u(m.LastIndex) + "/" + u(m.LastTerm)
}

// Describe implements sim.Describer.
func (m MsgVoteResp) Describe() string { return "MsgVoteResp t" + u(m.Term) + " " + yesNo(m.Granted) }

// Describe implements sim.Describer.
func (m MsgApp) Describe() string {
	var b strings.Builder
	b.WriteString("MsgApp t" + u(m.Term) + " prev=" + u(m.PrevIndex) + "/" + u(m.PrevTerm) + " commit=" + u(m.Commit))
	if m.Round > 0 {
		b.WriteString(" round=" + u(m.Round))
	}
	if len(m.Entries) > 0 {
		b.WriteString(" [")
		for i, e := range m.Entries {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(e.Describe())
		}
		b.WriteString("]")
	}
	return b.String()
}

// Describe implements sim.Describer.
func (m MsgAppResp) Describe() string {
	s := "MsgAppResp t" + u(m.Term)
	if m.Success {
		s += " ok index=" + u(m.Index)
	} else {
		s += " reject index=" + u(m.Index) + " hint=" + u(m.ConflictIndex) + "/" + u(m.ConflictTerm)
	}
	if m.Round > 0 {
		s += " round=" + u(m.Round)
	}
	return s
}

// Describe implements sim.Describer.
func (m MsgSnap) Describe() string {
	return "MsgSnap t" + u(m.Term) + " snapshot=" + u(m.Snapshot.Index) + "/" + u(m.Snapshot.Term) + " (" + strconv.Itoa(len(m.Snapshot.Data)) + " bytes)"
}

// Describe implements sim.Describer.
func (m MsgAdmin) Describe() string {
	s := "MsgAdmin #" + u(m.Seq)
	if m.Add != none {
		s += " add " + name(m.Add)
	}
	if m.Remove != none {
		s += " remove " + name(m.Remove)
	}
	return s
}

// Describe implements sim.Describer.
func (m MsgAdminResp) Describe() string {
	if m.NotLeader {
		return MsgResponse{Seq: m.Seq, NotLeader: true, Leader: m.Leader}.Describe()
	}
	s := "MsgAdminResp #" + u(m.Seq) + " " + adminStatusNames[m.Status]
	if m.Reason != "" {
		s += " (" + m.Reason + ")"
	}
	return s + "; " + m.Conf.Describe()
}

// Describe implements sim.Describer.
func (m MsgRequest) Describe() string { return "MsgRequest #" + u(m.Seq) + " " + m.Op.Describe() }

// Describe implements sim.Describer.
func (m MsgResponse) Describe() string {
	if m.NotLeader {
		lead := "unknown"
		if m.Leader != none {
			lead = "n" + strconv.Itoa(int(m.Leader)+1)
		}
		return "MsgResponse #" + u(m.Seq) + " not leader (leader " + lead + ")"
	}
	return "MsgResponse #" + u(m.Seq) + " " + m.Result.Describe()
}
