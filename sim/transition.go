package sim

// Transition is a property of each step of one agent: a check over the
// agent's state before and after one of its handlers (term and commit never
// go back, one vote per term). Observe reads what Check compares, a small
// value, from the agent before and after the handler; Check judges the step
// of agent id and returns an error saying why it is wrong. Before a Start
// (a new incarnation) there is no agent, and before is nil.
//
// A Transition sees only the agent that stepped, never run-wide records, so
// the same value judges a simulation (after every handler) and a
// model-checking exploration (on every transition it takes, however the
// state was reached).
type Transition struct {
	Name    string
	Observe func(a Agent) any
	Check   func(id NodeID, before, after any) error
}

// AddTransition adds a transition property, judged after every handler.
func (w *World) AddTransition(t Transition) {
	w.trans = append(w.trans, t)
}

// Transitions lists the transition properties, in the order they were added.
func (w *World) Transitions() []Transition { return append([]Transition(nil), w.trans...) }

// observeBefore records what each transition property reads from n's agent
// before a handler runs (nil when no agent runs yet).
func (w *World) observeBefore(n *node) {
	w.before = w.before[:0]
	for _, t := range w.trans {
		var v any
		if n.agent != nil {
			v = t.Observe(n.agent)
		}
		w.before = append(w.before, v)
	}
}

// judgeStep checks n's step against every transition property.
func (w *World) judgeStep(n *node) {
	for i, t := range w.trans {
		if err := t.Check(n.id, w.before[i], t.Observe(n.agent)); err != nil {
			w.fail(VerdictSafety, t.Name, err.Error())
			return
		}
	}
}
