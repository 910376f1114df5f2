package explore

import (
	"context"
	"math/rand/v2"
)

// randomStreamTag separates the walk stream from any other stream a future
// option might draw from the same seed.
const randomStreamTag = 0x6f72726572792d72 // "orrery-r"

// runRandom runs WalksMax seeded random walks of at most DepthMax states each.
// Every visited state is checked; distinct states are counted in the visited
// set, which the walks do not consult for pruning.
func (c *checker[S, A]) runRandom(ctx context.Context) {
	rng := rand.New(rand.NewPCG(c.options.Seed, randomStreamTag))
	inits := c.model.InitStates()
	walks := c.options.WalksMax
	if walks <= 0 {
		walks = WalksMaxDefault
	}
	depthMax := c.options.DepthMax
	if depthMax <= 0 {
		depthMax = walkDepthMaxDefault
	}
	var w walk[S, A]
	for range walks {
		if c.interrupted(ctx) {
			c.stopForLimit(c.interruption())
			return
		}
		if len(inits) == 0 || !c.walkOnce(ctx, rng, inits, depthMax, &w) {
			if c.timedOut(ctx) {
				c.stopForLimit(c.interruption())
			}
			return
		}
	}
}

// walk is the path of the current random walk and its scratch space.
type walk[S, A any] struct {
	reps          []S
	actionIndexes []int
	actions       []A
	untried       []int
	initIndex     int
}

// walkOnce runs one walk; it reports false when the search must stop (a
// violation, or the timeout, polled every step: a walk may be long).
func (c *checker[S, A]) walkOnce(ctx context.Context, rng *rand.Rand, inits []S, depthMax int, w *walk[S, A]) bool {
	w.initIndex = rng.IntN(len(inits))
	w.reps = append(w.reps[:0], c.canon(inits[w.initIndex]))
	w.actionIndexes = append(w.actionIndexes[:0], -1)
	c.generated++
	for {
		if c.timedOut(ctx) {
			return false
		}
		s := w.reps[len(w.reps)-1]
		if !c.visitWalk(s, inits, w) {
			return false
		}
		if len(w.reps) >= depthMax || !c.expandable(s) {
			return true
		}
		w.actions = c.model.Actions(s, w.actions[:0])
		// A disabled action is skipped by drawing again among the untried ones.
		w.untried = w.untried[:0]
		for i := range w.actions {
			w.untried = append(w.untried, i)
		}
		var next S
		chosen := -1
		for len(w.untried) > 0 && chosen < 0 {
			j := rng.IntN(len(w.untried))
			i := w.untried[j]
			if n, ok := c.model.NextState(s, w.actions[i]); ok {
				next, chosen = n, i
			}
			w.untried[j] = w.untried[len(w.untried)-1]
			w.untried = w.untried[:len(w.untried)-1]
		}
		if chosen < 0 {
			if c.deadlocked(s, 0) {
				c.record(-1, c.buildPath(inits, w.initIndex, w.reps, w.actionIndexes))
				return false
			}
			return true
		}
		c.generated++
		c.progressGenerated.Add(1)
		w.reps = append(w.reps, c.canon(next))
		w.actionIndexes = append(w.actionIndexes, chosen)
	}
}

// visitWalk counts s if new and checks it.
func (c *checker[S, A]) visitWalk(s S, inits []S, w *walk[S, A]) bool {
	fp, key := c.identify(s, nil)
	if c.visited.insert(fp, key) {
		c.states++
		c.progressStates.Store(c.states)
	}
	c.depth = max(c.depth, len(w.reps))
	for i := range c.props {
		if c.pending(i) && c.event(i, s) {
			c.record(i, c.buildPath(inits, w.initIndex, w.reps, w.actionIndexes))
		}
	}
	if c.options.StatesMax > 0 && c.states >= c.options.StatesMax {
		c.stopForLimit("states")
	}
	return c.status == ""
}
