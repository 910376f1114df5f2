package explore

import "context"

// ctxCheckEverySteps spaces out context polls in the sequential searches.
const ctxCheckEverySteps = 1 << 12

// frame is one state on the DFS stack with its enabled actions and the index of
// the next action to try.
type frame[S, A any] struct {
	state    S
	actions  []A
	next     int
	enabled  int
	expanded bool
}

// dfs is the state of one depth-first search; its stack is the current path.
type dfs[S, A any] struct {
	*checker[S, A]
	inits     []S
	initIndex int
	stack     []frame[S, A]
	steps     int
	depthCut  bool
}

func (c *checker[S, A]) runDFS(ctx context.Context) {
	d := &dfs[S, A]{checker: c, inits: c.model.InitStates()}
	c.generated = int64(len(d.inits))
	for i, s := range d.inits {
		d.initIndex = i
		if !d.visit(c.canon(s)) {
			continue
		}
		d.search(ctx)
		if c.status != "" {
			return
		}
	}
}

// visit stores s, checks it and pushes it; it reports false when s was stored
// before or the search must stop.
func (d *dfs[S, A]) visit(s S) bool {
	c := d.checker
	fp, key := c.identify(s, nil)
	if !c.visited.insert(fp, key) {
		return false
	}
	if c.options.StatesMax > 0 && c.states >= c.options.StatesMax {
		c.stopForLimit("states")
		return false
	}
	c.states++
	d.push(s)
	for i := range c.props {
		if c.pending(i) && c.event(i, s) {
			c.record(i, d.path())
		}
	}
	return c.status == ""
}

func (d *dfs[S, A]) push(s S) {
	if len(d.stack) < cap(d.stack) {
		d.stack = d.stack[:len(d.stack)+1]
	} else {
		d.stack = append(d.stack, frame[S, A]{})
	}
	f := &d.stack[len(d.stack)-1]
	f.state, f.next, f.enabled = s, 0, 0
	f.actions = f.actions[:0]
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
		if d.steps%ctxCheckEverySteps == 0 && c.interrupted(ctx) {
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
		next, ok := c.model.NextState(top.state, a)
		if !ok {
			continue
		}
		top.enabled++
		c.generated++
		c.progressGenerated.Add(1)
		d.visit(c.canon(next))
	}
	if d.depthCut {
		c.stopForLimit("depth")
	}
}

// leave pops a fully explored frame, reporting it first if it is a deadlock.
func (d *dfs[S, A]) leave(top *frame[S, A]) {
	if top.expanded && d.deadlocked(top.state, top.enabled) {
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
