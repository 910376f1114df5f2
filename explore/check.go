package explore

import (
	"context"
	"fmt"
	"runtime"
	"sync/atomic"
	"time"

	"github.com/orrery-sim/orrery/property"
)

// Check explores m as o asks and reports what it found. It returns an error only
// for a configuration the model does not support.
func Check[S, A any](ctx context.Context, m Model[S, A], o Options) (Result, error) {
	c, err := newChecker(m, o)
	if err != nil {
		return Result{}, err
	}
	start := time.Now()
	c.memory.start()
	stopProgress := c.startProgress(start)
	switch o.Strategy {
	case BFS:
		c.runBFS(ctx)
	case DFS:
		c.runDFS(ctx)
	case RandomWalk:
		c.runRandom(ctx)
	}
	if c.lasso != nil && c.live != nil && (c.status == "" || c.limit == "depth" || c.limit == "states") {
		c.lasso(ctx)
	}
	stopProgress()
	return c.result(time.Since(start)), nil
}

// checker holds one search: the model, its optional hooks resolved once, the
// visited set and the outcome so far.
type checker[S, A any] struct {
	model     Model[S, A]
	options   Options
	workers   int
	canonical func(S) S
	encode    func([]byte, S) []byte
	bounded   Bounded[S]
	terminal  Terminal[S]
	describer StateDescriber[S, A]
	props     []Property[S]
	reducer   *reducer[S, A] // nil unless Options.Reduce
	fairness  Fairness[S, A]
	live      *liveGraph // nil unless the search checks liveness
	// lasso, set by a search that stores the liveness graph, judges the
	// Eventually properties on it.
	lasso func(context.Context)
	// liveComplete: the search was complete before the lasso search, so
	// the other verdicts stand whatever it finds; liveDone: the lasso
	// search ran to its end (no timeout or memory bound stopped it).
	liveComplete, liveDone bool

	visited *visitedSet
	memory  memoryWatch
	// linkBytes counts the parent links a BFS keeps to rebuild paths.
	linkBytes int64

	states    int64
	generated int64
	depth     int
	status    Status
	limit     string
	outcomes  []PropertyOutcome
	failure   *Counterexample

	// progress counters, read by the progress goroutine.
	progressStates    atomic.Int64
	progressGenerated atomic.Int64
	progressDepth     atomic.Int64
}

func newChecker[S, A any](m Model[S, A], o Options) (*checker[S, A], error) {
	c := &checker[S, A]{model: m, options: o, props: m.Properties()}
	if o.Strategy > RandomWalk {
		return nil, ErrStrategy
	}
	c.workers = 1
	if o.Strategy == BFS {
		c.workers = o.Workers
		if c.workers <= 0 {
			c.workers = runtime.GOMAXPROCS(0)
		}
	}
	if o.Symmetry {
		sym, ok := m.(Symmetric[S])
		if !ok {
			return nil, ErrNoSymmetry
		}
		c.canonical = sym.Canonical
	}
	if o.FullState {
		enc, ok := m.(Encoder[S])
		if !ok {
			return nil, ErrNoEncoder
		}
		c.encode = enc.AppendKey
	}
	if o.Reduce && o.Strategy != RandomWalk {
		ind, ok := m.(Independence[S, A])
		switch {
		case !ok:
			return nil, ErrNoIndependence
		case o.Symmetry:
			return nil, ErrReduceSymmetry
		}
		c.reducer = &reducer[S, A]{ind: ind}
	}
	if err := c.setLiveness(); err != nil {
		return nil, err
	}
	c.bounded, _ = m.(Bounded[S])
	c.terminal, _ = m.(Terminal[S])
	c.describer, _ = m.(StateDescriber[S, A])
	c.visited = newVisitedSet(o.FullState)
	c.outcomes = make([]PropertyOutcome, len(c.props))
	for i, p := range c.props {
		c.outcomes[i] = PropertyOutcome{Name: p.Name, Expect: p.Kind.String(), Verdict: VerdictUnknown}
		if p.Kind == property.Eventually && c.live == nil {
			c.outcomes[i].Verdict = VerdictUnchecked
		}
	}
	return c, nil
}

// canon returns the representative the checker stores for s.
func (c *checker[S, A]) canon(s S) S {
	if c.canonical != nil {
		return c.canonical(s)
	}
	return s
}

// identify returns the fingerprint of s and, in full-state mode, its encoding
// appended to buf.
func (c *checker[S, A]) identify(s S, buf []byte) (uint64, []byte) {
	fp := normalizeFingerprint(c.model.Fingerprint(s))
	if c.encode != nil {
		buf = c.encode(buf, s)
	}
	return fp, buf
}

func (c *checker[S, A]) expandable(s S) bool {
	return c.bounded == nil || c.bounded.WithinBounds(s)
}

// deadlocked reports a state with no enabled action that should have one.
func (c *checker[S, A]) deadlocked(s S, enabled int) bool {
	return c.options.Deadlock && enabled == 0 && (c.terminal == nil || !c.terminal.IsTerminal(s))
}

// pending reports whether property i still needs to be evaluated on each
// state: invariants always, sometimes-properties until their first witness
// (Eventually properties are judged on the graph, after the search).
func (c *checker[S, A]) pending(i int) bool {
	switch c.props[i].Kind {
	case property.Always:
		return true
	case property.Sometimes:
		return c.outcomes[i].Verdict != VerdictWitnessed
	}
	return false
}

// setLiveness prepares the liveness graph when Options.Liveness asks for it
// and the model has Eventually properties.
func (c *checker[S, A]) setLiveness() error {
	c.fairness, _ = c.model.(Fairness[S, A])
	props := eventuallyProps(c.props)
	if !c.options.Liveness || len(props) == 0 {
		return nil
	}
	if conflict := c.livenessConflict(); conflict != "" {
		return fmt.Errorf("%w; %s", ErrLiveness, conflict)
	}
	c.live = newLiveGraph(props)
	return nil
}

// livenessConflict names the option that excludes the lasso search, ""
// if none.
func (c *checker[S, A]) livenessConflict() string {
	o := c.options
	switch {
	case o.Strategy != BFS:
		return "Strategy is " + o.Strategy.String()
	case o.Symmetry:
		return "Symmetry is set"
	case o.Reduce:
		return "Reduce is set"
	case o.FullState:
		return "FullState is set"
	}
	return ""
}

// event reports whether s is an event for property i: an invariant violation or
// a witness.
func (c *checker[S, A]) event(i int, s S) bool {
	p := c.props[i]
	holds := p.Condition(s)
	if p.Kind == property.Always {
		return !holds
	}
	return holds
}

// record stores the first event of property i with its path; an invariant
// violation (or deadlock, i < 0) fails the search.
func (c *checker[S, A]) record(i int, path trail) {
	if i < 0 {
		c.fail(DeadlockProperty, path)
		return
	}
	o := &c.outcomes[i]
	if o.Verdict != VerdictUnknown {
		return
	}
	o.Path = path.steps
	if c.props[i].Kind == property.Sometimes {
		o.Verdict = VerdictWitnessed
		return
	}
	o.Verdict = VerdictViolated
	c.fail(o.Name, path)
}

func (c *checker[S, A]) fail(property string, path trail) {
	c.status = StatusViolated
	if c.failure == nil {
		c.failure = &Counterexample{Property: property, Steps: path.steps, Choices: path.choices}
	}
}

func (c *checker[S, A]) stopForLimit(limit string) {
	if c.status == "" {
		c.status = StatusLimit
		c.limit = limit
	}
}

func (c *checker[S, A]) describeState(s S) string {
	if c.describer != nil {
		return c.describer.DescribeState(s)
	}
	return fmt.Sprintf("%v", s)
}

func (c *checker[S, A]) describeAction(a A) string {
	if c.describer != nil {
		return c.describer.DescribeAction(a)
	}
	return fmt.Sprintf("%v", a)
}

// result settles the verdicts: a complete search proves invariants and fails
// unwitnessed sometimes-properties; an incomplete one leaves them unknown.
func (c *checker[S, A]) result(elapsed time.Duration) Result {
	complete := (c.status == "" || c.liveComplete) && c.options.Strategy != RandomWalk
	if c.status == "" && c.options.Strategy == RandomWalk {
		c.stopForLimit("walks")
	}
	for i := range c.outcomes {
		o := &c.outcomes[i]
		if o.Verdict != VerdictUnknown || !complete {
			continue
		}
		switch c.props[i].Kind {
		case property.Always:
			o.Verdict = VerdictHolds
		case property.Eventually:
			if c.liveDone {
				o.Verdict = VerdictHolds
			}
		default:
			o.Verdict = VerdictUnwitnessed
			c.status = StatusViolated
		}
	}
	if c.status == "" {
		c.status = StatusComplete
	}
	r := Result{
		Model: c.model.Name(), Strategy: c.options.Strategy.String(), Workers: c.workers,
		States: c.states, Generated: c.generated, Depth: c.depth,
		Status: c.status, Limit: c.limit, Seconds: elapsed.Seconds(),
		Collisions: c.visited.collisions(), Properties: c.outcomes, Counterexample: c.failure,
	}
	if r.Seconds > 0 {
		r.StatesPerSec = float64(r.States) / r.Seconds
	}
	c.memory.sample()
	r.PeakHeapBytes = int64(c.memory.peak.Load())
	if r.States > 0 {
		r.BytesPerState = float64(c.memory.grown()) / float64(r.States)
		r.VisitedBytesPerState = float64(c.visited.bytes()+c.linkBytes) / float64(r.States)
		if c.live != nil {
			r.Edges, r.LassoStates = int64(len(c.live.targets)), c.live.usable.count()
			r.GraphBytesPerState = float64(c.live.bytes()) / float64(r.States)
		}
		r.HeapBytesPerState = float64(r.PeakHeapBytes) / float64(r.States)
	}
	return r
}
