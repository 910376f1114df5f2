package abd

import (
	"fmt"

	"github.com/orrery-sim/orrery/sim"
)

// transferTracker checks the invariant that makes a reconfiguration safe: a
// replica that serves configuration e holds every value that a completed
// operation wrote or read before the change to e began. The change's state
// transfer is what gives it that value; without it a quorum of the new
// configuration can miss a completed write. It judges the replicas' state
// after each of their handlers, so it fails at the moment a replica starts
// serving without the state, not when some later read happens to notice.
// Operations are told apart by value (the workload never writes a value twice);
// a script that writes one value twice is held to the higher of its tags.
type transferTracker struct {
	admin     sim.NodeID
	valueTags map[string]Tag    // each value stored or held, and its highest tag
	need      map[uint64]Tag    // per configuration epoch: the tag its servers must reach
	needOp    map[uint64]string // the operation that set it, for the report
}

func newTransferTracker(admin sim.NodeID) *transferTracker {
	return &transferTracker{admin: admin, valueTags: map[string]Tag{}, need: map[uint64]Tag{}, needOp: map[uint64]string{}}
}

// check runs after every event: the admin's, to note what a change that just
// began must carry; a replica's, to judge what it serves.
func (t *transferTracker) check(w *sim.World, tr *tracker) error {
	id := w.Current()
	switch {
	case id < 0:
		return nil
	case id == t.admin:
		t.noteChange(w)
		return nil
	}
	if c, ok := w.Agent(id).(*Client); ok {
		if s, ok := c.arg.(MsgStore); ok {
			t.note(s.State)
		}
		return nil
	}
	_, r := tr.current(w)
	if r == nil {
		return nil
	}
	t.note(r.state)
	need, ok := t.need[r.config.Epoch]
	if !r.active || !ok || !r.state.Tag.Less(need) {
		return nil
	}
	return fmt.Errorf("%s serves %s holding %s, but %s completed before the change to epoch %d began (tag %v)",
		w.Name(w.Current()), describeConfig(r.config), r.state.Describe(), t.needOp[r.config.Epoch], r.config.Epoch, need)
}

// note records the tag of a value a client is storing or a replica holds. A
// write's tag is known once its store phase starts: a replica may never hold
// it (a concurrent write with a higher tag reached every replica first).
func (t *transferTracker) note(s State) {
	if s.Tag != (Tag{}) && t.valueTags[s.Value].Less(s.Tag) {
		t.valueTags[s.Value] = s.Tag
	}
}

// noteChange records, when the admin begins a change, the newest tag of any
// completed operation: the new configuration must hold it before it serves.
func (t *transferTracker) noteChange(w *sim.World) {
	a, _ := w.Agent(t.admin).(*Admin)
	if a == nil || !a.busy {
		return
	}
	if _, seen := t.need[a.next.Epoch]; seen {
		return
	}
	var need Tag
	what := "nothing"
	for _, op := range w.History().Ops {
		v, ok := completedValue(op)
		if !ok {
			continue
		}
		if tag := t.valueTags[v]; need.Less(tag) {
			need, what = tag, fmt.Sprintf("op%d %s", op.ID, sim.Describe(op.Input))
		}
	}
	t.need[a.next.Epoch], t.needOp[a.next.Epoch] = need, what
}

// completedValue is the value a completed operation wrote, or read.
func completedValue(op sim.Op) (string, bool) {
	in, ok := opOf(op.Input)
	switch {
	case !ok || !op.Done:
		return "", false
	case in.Write:
		return in.Value, true
	}
	r, _ := op.Output.(Result)
	return r.Value, r.Exists
}
