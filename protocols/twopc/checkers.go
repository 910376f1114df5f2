package twopc

import (
	"errors"
	"fmt"

	"github.com/orrery-sim/orrery/sim"
)

// Property names, as reported in verdicts.
const (
	PropAtomicity       = "atomicity"
	PropValidity        = "validity"
	PropAllDecide       = "all-decide"
	PropCommitted       = "committed"
	PropCommitAfterHeal = "commit-after-heal"
)

// tracker watches a run for the two-phase commit invariants. After every
// event it looks only at the agent whose handler ran, and there only at the
// transactions that handler touched (the agents list them). Per transaction
// it keeps who voted yes and who decided what, the coordinator included.
type tracker struct {
	participants int
	seq          uint64
	errs         map[string]error
	txns         map[TxnID]*txnView
	begun        TxnID // the highest transaction the coordinator began
	committed    bool

	live        bool  // in the liveness phase
	liveBegun   TxnID // transactions up to this one must all decide
	liveChecked TxnID // those up to here have
	liveCommit  bool  // a transaction begun after the heal committed

	outcomes *outcomes // the client history, judged against the decisions
}

type txnView struct {
	participants    uint64 // bitmask of participant ids
	yes             uint64
	commits, aborts uint64 // bit 0: the coordinator
}

func newTracker(participants int) *tracker {
	return &tracker{participants: participants, errs: map[string]error{}, txns: map[TxnID]*txnView{}, outcomes: newOutcomes()}
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

func (t *tracker) view(id TxnID) *txnView {
	v := t.txns[id]
	if v == nil {
		v = &txnView{}
		t.txns[id] = v
	}
	return v
}

func (t *tracker) update(w *sim.World) {
	if w.Current() < 0 {
		return
	}
	switch a := w.Agent(w.Current()).(type) {
	case *coordinator:
		for _, id := range a.changed {
			tx := a.txns[id]
			v := t.view(id)
			v.participants, t.begun = mask(tx.Participants), max(t.begun, id)
			t.outcomes.begun(id, tx)
			t.decided(id, v, coordinatorID, tx.Decision)
		}
	case *participant:
		for _, id := range a.changed {
			v := t.view(id)
			switch a.txns[id].State {
			case statePrepared:
				v.yes |= bit(w.Current())
			case stateCommitted:
				v.yes |= bit(w.Current())
				t.decided(id, v, w.Current(), Commit)
			case stateAborted:
				t.decided(id, v, w.Current(), Abort)
			}
		}
	}
	t.outcomes.returned(w, t)
}

// decided records one party's decision. Atomicity: no transaction is both
// committed and aborted, by any two parties (or by the coordinator at two
// times). Validity: a commit only once every participant voted yes.
func (t *tracker) decided(id TxnID, v *txnView, by sim.NodeID, d Decision) {
	switch d {
	case Commit:
		v.commits |= bit(by)
		t.committed = true
		t.liveCommit = t.liveCommit || (t.live && id > t.liveBegun)
		if v.yes&v.participants != v.participants {
			t.fail(PropValidity, "%v committed by %s, but %s did not vote yes", id, name(by), names(v.participants&^v.yes))
		}
	case Abort:
		v.aborts |= bit(by)
	default:
		return
	}
	t.outcomes.decided(t, id, by, d)
	if v.commits != 0 && v.aborts != 0 {
		t.fail(PropAtomicity, "%v committed by %s and aborted by %s", id, names(v.commits), names(v.aborts))
	}
}

func names(m uint64) string {
	s := ""
	for id := sim.NodeID(0); m != 0; id++ {
		if m&bit(id) != 0 {
			if s != "" {
				s += " "
			}
			s += name(id)
			m &^= bit(id)
		}
	}
	return s
}

// allDecide is the termination property: once the nemesis has healed, the
// coordinator and every participant decide every transaction begun before.
func (t *tracker) allDecide(w *sim.World) error {
	for t.liveChecked < t.liveBegun {
		id := t.liveChecked + 1
		if who := t.undecided(w, id); who != "" {
			return fmt.Errorf("%v (of %d begun before the heal) is undecided at %s", id, t.liveBegun, who)
		}
		t.liveChecked = id
	}
	return nil
}

func (t *tracker) undecided(w *sim.World, id TxnID) string {
	c, _ := w.Agent(coordinatorID).(*coordinator)
	if c == nil {
		return "coord (down)"
	}
	tx := c.txns[id]
	if tx == nil || tx.Decision == Undecided {
		return "coord"
	}
	for _, p := range tx.Participants {
		a, _ := w.Agent(p).(*participant)
		if a == nil {
			return name(p) + " (down)"
		}
		if ptx := a.txns[id]; ptx == nil || ptx.State == statePrepared {
			return name(p)
		}
	}
	return ""
}

func addProperties(w *sim.World, t *tracker, clients bool) {
	for _, p := range []string{PropAtomicity, PropValidity, PropOutcome} {
		w.AddProperty(sim.Property{Name: p, Kind: sim.Always, Check: func(w *sim.World) error { return t.check(w, p) }})
	}
	w.OnLiveness(func(*sim.World) { t.live, t.liveBegun = true, t.begun })
	w.AddProperty(sim.Property{Name: PropAllDecide, Kind: sim.Eventually, Check: t.allDecide})
	if clients {
		w.AddProperty(sim.Property{Name: PropCommitAfterHeal, Kind: sim.Eventually, Check: func(w *sim.World) error {
			if t.check(w, PropAtomicity); !t.liveCommit {
				return fmt.Errorf("no transaction begun since the heal has committed (%d begun in all)", t.begun)
			}
			return nil
		}})
		w.AddProperty(sim.Property{Name: PropCommitted, Kind: sim.Sometimes, Check: func(w *sim.World) error {
			if t.check(w, PropAtomicity); !t.committed {
				return errors.New("no transaction committed yet")
			}
			return nil
		}})
	}
}
