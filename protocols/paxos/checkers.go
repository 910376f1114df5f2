package paxos

import (
	"errors"
	"fmt"
	"strings"

	"github.com/orrery-sim/orrery/sim"
	"github.com/orrery-sim/orrery/workload/kv"
)

// Property names, as reported in verdicts.
const (
	PropOneValue       = "one-value-per-slot"
	PropSamePrefix     = "same-applied-prefix"
	PropLinearizable   = kv.PropLinearizable
	PropWriteAfterHeal = kv.PropWriteAfterHeal
	PropReadFresh      = kv.PropReadFresh
	PropExactlyOnce    = kv.PropExactlyOnce
	PropValueChosen    = "value-chosen"
)

// tracker watches a run for the Paxos invariants. After every event it looks
// only at the server whose handler ran, and there only at the slots the
// handler accepted in or applied. It keeps every vote of every acceptor (per
// slot and ballot, the value and who accepted it), so it knows which value a
// phase-2 quorum chose whether or not any proposer noticed.
type tracker struct {
	servers int
	q2      int
	seq     uint64 // w.Events() when last updated
	errs    map[string]error
	votes   map[slotBallot]*vote
	chosen  map[uint64]Command
	applied map[uint64]appliedRecord
}

type slotBallot struct {
	slot   uint64
	ballot Ballot
}

type vote struct {
	cmd    Command
	voters uint64 // bitmask of server ids
}

type appliedRecord struct {
	cmd Command
	by  sim.NodeID
}

func newTracker(servers, q2 int) *tracker {
	return &tracker{servers: servers, q2: q2, errs: map[string]error{}, votes: map[slotBallot]*vote{},
		chosen: map[uint64]Command{}, applied: map[uint64]appliedRecord{}}
}

func (t *tracker) check(w *sim.World, prop string) error {
	if w.Events() != t.seq {
		t.seq = w.Events()
		t.update(w)
	}
	return t.errs[prop]
}

func (t *tracker) fail(prop, format string, args ...any) {
	if t.errs[prop] == nil {
		t.errs[prop] = fmt.Errorf(format, args...)
	}
}

func (t *tracker) update(w *sim.World) {
	id := w.Current()
	if id < 0 || int(id) >= t.servers {
		return
	}
	a, _ := w.Agent(id).(*node)
	if a == nil {
		return
	}
	for _, s := range a.acceptedNow {
		t.recordVote(id, a.accepted[s])
	}
	for _, s := range a.appliedNow {
		t.recordApplied(id, s, a.decided[s])
	}
}

// recordVote adds an acceptor's vote. A ballot proposes one value per slot,
// and once Q2 acceptors voted for it in one ballot the value is chosen: no
// other value may ever be chosen in that slot.
func (t *tracker) recordVote(id sim.NodeID, acc Accepted) {
	key := slotBallot{acc.Slot, acc.Ballot}
	v := t.votes[key]
	if v == nil {
		v = &vote{cmd: acc.Cmd}
		t.votes[key] = v
	}
	if v.cmd != acc.Cmd {
		t.fail(PropOneValue, "ballot %s proposed both %s and %s in slot %d", acc.Ballot, v.cmd.Describe(), acc.Cmd.Describe(), acc.Slot)
		return
	}
	v.voters |= bit(id)
	if count(v.voters) < t.q2 {
		return
	}
	c, ok := t.chosen[acc.Slot]
	switch {
	case !ok:
		t.chosen[acc.Slot] = acc.Cmd
	case c != acc.Cmd:
		t.fail(PropOneValue, "slot %d: %s chosen in ballot %s by %s, but %s was chosen before",
			acc.Slot, acc.Cmd.Describe(), acc.Ballot, voterNames(v.voters), c.Describe())
	}
}

// recordApplied: every replica applies the same command in each slot.
func (t *tracker) recordApplied(id sim.NodeID, slot uint64, cmd Command) {
	old, ok := t.applied[slot]
	if !ok {
		t.applied[slot] = appliedRecord{cmd: cmd, by: id}
		return
	}
	if old.cmd != cmd {
		t.fail(PropSamePrefix, "%s applied %s in slot %d, but %s applied %s there",
			name(id), cmd.Describe(), slot, name(old.by), old.cmd.Describe())
	}
}

func voterNames(mask uint64) string {
	var names []string
	for id := sim.NodeID(0); mask != 0; id++ {
		if mask&bit(id) != 0 {
			names = append(names, name(id))
			mask &^= bit(id)
		}
	}
	return strings.Join(names, " ")
}

// valueChosen: some slot was chosen, so the run exercised phase 2 at all.
func (t *tracker) valueChosen(w *sim.World) error {
	if t.check(w, PropOneValue); len(t.chosen) == 0 {
		return errors.New("no value chosen yet")
	}
	return nil
}

func describeServer(w *sim.World, id sim.NodeID) string {
	a, ok := w.Agent(id).(*node)
	if !ok || a == nil {
		return "down"
	}
	return a.describe()
}
