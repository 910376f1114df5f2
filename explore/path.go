package explore

import "github.com/orrery-sim/orrery/internal/assert"

// buildPath renders a path given as the representatives the search stored:
// reps[0] is the representative of inits[initIndex] and reps[k] that of the
// successor of reps[k-1] under its actionIndexes[k]-th enabled action. With
// symmetry the representatives need not form a real run (each is a permuted
// copy of the true successor), so the path is replayed from the concrete
// initial state, choosing at each step the first action whose successor lies in
// the next stored orbit: the printed counterexample is an actual execution.
func (c *checker[S, A]) buildPath(inits []S, initIndex int, reps []S, actionIndexes []int) trail {
	current := inits[initIndex]
	t := trail{steps: make([]Step, 0, len(reps)), choices: make([]int, 0, len(reps))}
	t.add(Step{State: c.describeState(current)}, initIndex)
	var actions []A
	for k := 1; k < len(reps); k++ {
		if c.canonical == nil {
			actions = c.model.Actions(reps[k-1], actions[:0])
			a := actions[actionIndexes[k]]
			current = reps[k]
			t.add(Step{Action: c.describeAction(a), State: c.describeState(current)}, actionIndexes[k])
			continue
		}
		i, a, next := c.stepInto(current, reps[k])
		current = next
		t.add(Step{Action: c.describeAction(a), State: c.describeState(current)}, i)
	}
	return t
}

// trail is a path as reported (its steps) and as the model re-executes it
// (Counterexample.Choices).
type trail struct {
	steps   []Step
	choices []int
}

func (t *trail) add(s Step, choice int) {
	t.steps = append(t.steps, s)
	t.choices = append(t.choices, choice)
}

// stepInto finds the first action of current whose successor has the
// representative target, and its index among current's actions.
func (c *checker[S, A]) stepInto(current, target S) (int, A, S) {
	wantFP, wantKey := c.identify(target, nil)
	for i, a := range c.model.Actions(current, nil) {
		next, ok := c.model.NextState(current, a)
		if !ok {
			continue
		}
		fp, key := c.identify(c.canon(next), nil)
		if fp == wantFP && string(key) == string(wantKey) {
			return i, a, next
		}
	}
	assert.That(false, "explore: no action leads into the stored orbit; Canonical does not commute with NextState")
	panic("unreachable")
}
