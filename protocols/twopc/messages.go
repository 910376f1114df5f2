package twopc

import (
	"strconv"
	"strings"

	"github.com/orrery-sim/orrery/sim"
)

// TxnID numbers the coordinator's transactions from 1.
type TxnID uint64

func (t TxnID) String() string { return "t" + strconv.FormatUint(uint64(t), 10) }

// Write sets one key, owned by one participant, to a value.
type Write struct {
	Key, Value string
}

func (w Write) String() string { return w.Key + "=" + w.Value }

func describeWrites(ws []Write) string {
	parts := make([]string, len(ws))
	for i, w := range ws {
		parts[i] = w.String()
	}
	return strings.Join(parts, " ")
}

// Decision is a transaction's outcome.
type Decision uint8

// Decisions; the zero value is "not decided".
const (
	Undecided Decision = iota
	Commit
	Abort
)

var decisionNames = [...]string{"undecided", "commit", "abort"}

func (d Decision) String() string { return decisionNames[d] }

// Describe implements sim.Describer: a client's transaction returns its
// decision.
func (d Decision) Describe() string { return d.String() }

// Txn is a client's transaction: the writes, every key owned by some
// participant.
type Txn struct {
	Writes []Write
}

// Describe implements sim.Describer.
func (t Txn) Describe() string { return "txn " + describeWrites(t.Writes) }

// MsgBegin asks the coordinator to run a transaction; Seq numbers the
// client's transactions so that a retried request starts it once.
type MsgBegin struct {
	Seq uint64
	Txn Txn
}

// MsgOutcome tells a client the decision on its transaction Seq.
type MsgOutcome struct {
	Seq      uint64
	Decision Decision
}

// MsgVoteRequest asks a participant to vote on Txn, carrying the writes to
// its own keys and every participant (for the termination protocol).
type MsgVoteRequest struct {
	Txn          TxnID
	Writes       []Write
	Participants []sim.NodeID
}

// MsgVote is vote-yes or vote-no.
type MsgVote struct {
	Txn TxnID
	Yes bool
}

// MsgCommit announces that Txn committed.
type MsgCommit struct{ Txn TxnID }

// MsgAbort announces that Txn aborted (rollback).
type MsgAbort struct{ Txn TxnID }

// MsgAck acknowledges a decision, so the coordinator can stop re-sending it.
type MsgAck struct{ Txn TxnID }

// MsgDecisionRequest asks for Txn's decision (a participant that voted yes,
// of the coordinator after recovery or of its peers in the termination
// protocol).
type MsgDecisionRequest struct{ Txn TxnID }

func decisionMsg(t TxnID, d Decision) sim.Message {
	if d == Commit {
		return MsgCommit{Txn: t}
	}
	return MsgAbort{Txn: t}
}

// Describe implements sim.Describer.
func (m MsgBegin) Describe() string {
	return "MsgBegin #" + strconv.FormatUint(m.Seq, 10) + " " + describeWrites(m.Txn.Writes)
}

// Describe implements sim.Describer.
func (m MsgOutcome) Describe() string {
	return "MsgOutcome #" + strconv.FormatUint(m.Seq, 10) + " " + m.Decision.String()
}

// Describe implements sim.Describer.
func (m MsgVoteRequest) Describe() string {
	names := make([]string, len(m.Participants))
	for i, p := range m.Participants {
		names[i] = name(p)
	}
	return "MsgVoteRequest " + m.Txn.String() + " " + describeWrites(m.Writes) + " of " + strings.Join(names, ",")
}

// Describe implements sim.Describer.
func (m MsgVote) Describe() string {
	if m.Yes {
		return "MsgVote " + m.Txn.String() + " yes"
	}
	return "MsgVote " + m.Txn.String() + " no"
}

// Describe implements sim.Describer.
func (m MsgCommit) Describe() string { return "MsgCommit " + m.Txn.String() }

// Describe implements sim.Describer.
func (m MsgAbort) Describe() string { return "MsgAbort " + m.Txn.String() }

// Describe implements sim.Describer.
func (m MsgAck) Describe() string { return "MsgAck " + m.Txn.String() }

// Describe implements sim.Describer.
func (m MsgDecisionRequest) Describe() string { return "MsgDecisionRequest " + m.Txn.String() }

// coordinatorID is the coordinator's agent id; participants are 1..N.
const coordinatorID sim.NodeID = 0

func name(id sim.NodeID) string {
	if id == coordinatorID {
		return "coord"
	}
	return "p" + strconv.Itoa(int(id))
}

// Owner is the participant that owns a key: key "p2.x" belongs to p2.
func Owner(key string) (sim.NodeID, bool) {
	head, _, ok := strings.Cut(key, ".")
	if !ok || len(head) < 2 || head[0] != 'p' {
		return 0, false
	}
	i, err := strconv.Atoi(head[1:])
	if err != nil || i < 1 {
		return 0, false
	}
	return sim.NodeID(i), true
}
