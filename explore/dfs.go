package explore

import (
	"context"
	"encoding/binary"
	"slices"
)

// ctxCheckEverySteps spaces out the polls of the memory (interrupted) in the
// sequential searches; the timeout is polled every step (timedOut).
const ctxCheckEverySteps = 1 << 12

// frame is one state on the DFS stack with its enabled actions and the index of
// the next action to try.
type frame[S, A any] struct {
	state    S
	actions  []A
	next     int
	enabled  int
	expanded bool
	// With reduction: the bookkeeping of the state's sleep set and, when the
	// state is revisited with a smaller sleep set, the moves to explore
	// again (the others were explored on an earlier visit).
	sleep   expansion
	revisit bool
	redo    sleepSet
}

// dfs is the state of one depth-first search; its stack is the current path.
type dfs[S, A any] struct {
	*checker[S, A]
	inits     []S
	initIndex int
	stack     []frame[S, A]
	steps     int
	depthCut  bool
	// sleeps holds, with reduction, the sleep set each state was last
	// explored with, by identity (fingerprint or encoding); an empty set is
	// not stored.
	sleeps map[string]sleepSet
}

func (c *checker[S, A]) runDFS(ctx context.Context) {
	d := &dfs[S, A]{checker: c, inits: c.model.InitStates()}
	if c.reducer != nil {
		d.sleeps = map[string]sleepSet{}
	}
	c.generated = int64(len(d.inits))
	for i, s := range d.inits {
		d.initIndex = i
		if !d.visit(c.canon(s), nil) {
			continue
		}
		d.search(ctx)
		if c.status != "" {
			return
		}
	}
}

// visit stores s, checks it and pushes it; it reports false when s was stored
// before or the search must stop. With reduction, sleep is the sleep set s is
// reached with; a stored state reached with a smaller one is pushed again to
// explore the difference.
func (d *dfs[S, A]) visit(s S, sleep sleepSet) bool {
	c := d.checker
	fp, key := c.identify(s, nil)
	if !c.visited.insert(fp, key) {
		if c.reducer != nil {
			d.revisit(s, fp, key, sleep)
		}
		return false
	}
	if c.reducer != nil && len(sleep) > 0 {
		d.sleeps[identity(fp, key)] = sleep
	}
	if c.options.StatesMax > 0 && c.states >= c.options.StatesMax {
		c.stopForLimit("states")
		return false
	}
	c.states++
	d.push(s, sleep, nil)
	for i := range c.props {
		if c.pending(i) && c.event(i, s) {
			c.record(i, d.path())
		}
	}
	return c.status == ""
}

// revisit pushes s again when its stored sleep set holds moves that sleep
// does not: they were skipped on an earlier visit, and the path that let
// them sleep there does not cover this one.
func (d *dfs[S, A]) revisit(s S, fp uint64, key []byte, sleep sleepSet) {
	id := identity(fp, key)
	stored := d.sleeps[id]
	if stored.subsetOf(sleep) {
		return
	}
	redo := stored.minus(sleep)
	kept := slices.Clone(stored).intersect(sleep)
	if len(kept) == 0 {
		delete(d.sleeps, id)
	} else {
		d.sleeps[id] = kept
	}
	d.push(s, kept, redo)
}

func identity(fp uint64, key []byte) string {
	if key != nil {
		return string(key)
	}
	return string(binary.LittleEndian.AppendUint64(nil, fp))
}

func (d *dfs[S, A]) push(s S, sleep, redo sleepSet) {
	if len(d.stack) < cap(d.stack) {
		d.stack = d.stack[:len(d.stack)+1]
	} else {
		d.stack = append(d.stack, frame[S, A]{})
	}
	f := &d.stack[len(d.stack)-1]
	f.state, f.next, f.enabled = s, 0, 0
	f.actions = f.actions[:0]
	f.sleep.sleep, f.sleep.done = sleep, f.sleep.done[:0]
	f.revisit, f.redo = redo != nil, redo
	f.expanded = d.expandable(s)
	if f.expanded && d.options.DepthMax > 0 && len(d.stack) >= d.options.DepthMax {
		f.expanded = false
		d.depthCut = true
	}
	if f.expanded {
		f.actions = d.model.Actions(s, f.actions)
	}
	d.depth = max(d.depth, len(d.stack))
	d.progressStates.Store(d.states)
	d.progressDepth.Store(int64(d.depth))
}

func (d *dfs[S, A]) search(ctx context.Context) {
	c := d.checker
	for len(d.stack) > 0 && c.status == "" {
		d.steps++
		if (d.steps%ctxCheckEverySteps == 0 && c.interrupted(ctx)) || c.timedOut(ctx) {
			c.stopForLimit(c.interruption())
			return
		}
		top := &d.stack[len(d.stack)-1]
		if top.next == len(top.actions) {
			d.leave(top)
			continue
		}
		a := top.actions[top.next]
		top.next++
		var key uint64
		if c.reducer != nil {
			key = c.reducer.ind.ActionKey(a)
			if top.sleep.sleep.has(key) || (top.revisit && !top.redo.has(key)) {
				top.enabled++ // asleep, or explored on an earlier visit
				continue
			}
		}
		next, ok := c.model.NextState(top.state, a)
		if !ok {
			continue
		}
		top.enabled++
		c.generated++
		c.progressGenerated.Add(1)
		if c.reducer == nil {
			d.visit(c.canon(next), nil)
			continue
		}
		d.visitReduced(top, a, key, next)
	}
	if d.depthCut {
		c.stopForLimit("depth")
	}
}

// visitReduced visits next, reached from the top frame by a, with the sleep
// set the reduction gives it. The frame may move when the stack grows.
func (d *dfs[S, A]) visitReduced(top *frame[S, A], a A, key uint64, next S) {
	c := d.checker
	taken := Move{Key: key, Info: c.reducer.ind.Taken(top.state, a, next)}
	sleep := sleepSet(c.reducer.childSleep(nil, top.state, &top.sleep, taken))
	if c.expandable(next) {
		top.sleep.done = append(top.sleep.done, taken)
	}
	d.visit(next, sleep)
}

// leave pops a fully explored frame, reporting it first if it is a deadlock.
func (d *dfs[S, A]) leave(top *frame[S, A]) {
	if top.expanded && !top.revisit && d.deadlocked(top.state, top.enabled) {
		d.record(-1, d.path())
		return
	}
	clear(top.actions)
	d.stack = d.stack[:len(d.stack)-1]
}

func (d *dfs[S, A]) path() trail {
	reps := make([]S, len(d.stack))
	actionIndexes := make([]int, len(d.stack))
	for i := range d.stack {
		reps[i] = d.stack[i].state
		if i > 0 {
			actionIndexes[i] = d.stack[i-1].next - 1
		}
	}
	return d.buildPath(d.inits, d.initIndex, reps, actionIndexes)
}
