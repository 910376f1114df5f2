package linearizability

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Verdict is the outcome of a check. The zero value is Unknown, the only
// verdict that claims nothing.
type Verdict uint8

const (
	// Unknown: the check was cancelled or timed out before a verdict.
	Unknown Verdict = iota
	// Ok: the history is linearizable.
	Ok
	// Illegal: the history is not linearizable.
	Illegal
)

func (v Verdict) String() string {
	switch v {
	case Ok:
		return "ok"
	case Illegal:
		return "illegal"
	default:
		return "unknown"
	}
}

// Options tune a check; the zero value is a sensible default.
type Options struct {
	// Timeout bounds the check; 0 means no bound beyond the context.
	Timeout time.Duration
	// Workers is how many partitions are checked at once; 0 means
	// GOMAXPROCS. The result does not depend on it.
	Workers int
	// AllPartitions keeps checking after a partition fails, to explain every
	// failing partition. By default the check stops once some partitions
	// fail, and reports those that were cheapest to refute (see runAll).
	AllPartitions bool
}

// PartitionResult is the outcome for one part of the history. Operation
// numbers are indices into the checked history.
type PartitionResult struct {
	Verdict Verdict
	// Skipped: left unfinished because other partitions failed first.
	Skipped bool
	// Ops lists the partition's operations in history order.
	Ops []int
	// Linearization is a complete linearization when Verdict is Ok (open
	// operations left out never took effect), else the longest linearizable
	// prefix found.
	Linearization []int
	// Candidates are the operations that could come right after the prefix
	// of an Illegal partition, none of which leads to a linearization.
	Candidates []int
	// Deadline is the operation whose return the prefix cannot get past
	// (Illegal only; -1 otherwise).
	Deadline int
	// Configurations counts the distinct (linearized set, state) pairs
	// explored.
	Configurations int
}

// Result is the outcome of [Check].
type Result struct {
	Verdict    Verdict
	Partitions []PartitionResult
	// Err says why the verdict is Unknown (the context's error).
	Err     error
	explain func() *Explanation
}

// Explain renders the result for people: see [Explanation].
func (r Result) Explain() *Explanation {
	if r.explain == nil {
		return &Explanation{Verdict: r.Verdict}
	}
	return r.explain()
}

// String is the verdict, with the explanation when it is not Ok.
func (r Result) String() string {
	if r.Verdict == Ok {
		return "linearizable"
	}
	return r.Explain().String()
}

// Check decides whether history is linearizable with respect to m. It panics
// on malformed input (an operation returning before its call, a partition
// that does not cover the history), which are programmer errors.
func Check[S, I, O any](ctx context.Context, m Model[S, I, O], history []Operation[I, O], opts Options) Result {
	m = m.withDefaults()
	for i, op := range history {
		if !op.Open && op.Return < op.Call {
			panic(fmt.Sprintf("linearizability: operation %d returns at %d before its call at %d", i, op.Return, op.Call))
		}
	}
	if opts.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, opts.Timeout)
		defer cancel()
	}
	parts := partition(&m, history)
	runs := make([]partitionRun[S, I, O], len(parts))
	for i, part := range parts {
		runs[i].init(&m, history, part)
	}
	runAll(ctx, runs, opts)
	return collect(ctx, &m, history, runs)
}

// partition applies the model's Partition hook and normalises its output:
// indices ascending within a part, parts ordered by first index, so that
// results do not depend on the order the hook happens to produce.
func partition[S, I, O any](m *Model[S, I, O], history []Operation[I, O]) [][]int {
	if m.Partition == nil {
		all := make([]int, len(history))
		for i := range all {
			all[i] = i
		}
		return [][]int{all}
	}
	parts := m.Partition(history)
	seen := make([]bool, len(history))
	count := 0
	for _, part := range parts {
		slices.Sort(part)
		for _, i := range part {
			if i < 0 || i >= len(history) || seen[i] {
				panic(fmt.Sprintf("linearizability: Partition lists operation %d twice or out of range", i))
			}
			seen[i] = true
			count++
		}
	}
	if count != len(history) {
		panic("linearizability: Partition left out operations")
	}
	parts = slices.DeleteFunc(parts, func(p []int) bool { return len(p) == 0 })
	slices.SortFunc(parts, func(a, b []int) int { return a[0] - b[0] })
	return parts
}

// partitionRun is the search input and outcome for one partition.
type partitionRun[S, I, O any] struct {
	model   *Model[S, I, O]
	ops     []int // indices into the history of the searched operations
	dropped []int // open read-only operations: their effect is invisible
	local   []Operation[I, O]
	search  *searcher[S, I, O] // while unfinished
	verdict Verdict
	skipped bool
	best    prefix[S]
	configs int
	// iterations is the search effort spent: the measure rounds budget.
	iterations int
}

func (r *partitionRun[S, I, O]) init(m *Model[S, I, O], history []Operation[I, O], part []int) {
	r.model = m
	for _, i := range part {
		if history[i].Open && m.ReadOnly(history[i]) {
			r.dropped = append(r.dropped, i)
			continue
		}
		r.ops = append(r.ops, i)
		r.local = append(r.local, history[i])
	}
	if len(r.local) > 0 && m.StepOpen == nil {
		for _, op := range r.local {
			if op.Open {
				panic("linearizability: history has open operations but the model has no StepOpen")
			}
		}
	}
}

// step runs the partition's search up to iterationsMax iterations in all.
func (r *partitionRun[S, I, O]) step(ctx context.Context, iterationsMax int) {
	if r.search == nil {
		r.search = newSearcher(r.model, r.local, func() bool { return ctx.Err() != nil })
	}
	r.verdict = r.search.run(iterationsMax)
	r.best = r.search.best
	r.configs = r.search.cache.size()
	r.iterations = r.search.iterations
	if r.verdict != Unknown {
		r.search = nil // let the memo go
	}
}

const (
	// iterationsFirstRound is the search effort every partition gets in the
	// first round; each round multiplies it by roundGrowth.
	iterationsFirstRound = 1 << 12
	roundGrowth          = 4
)

// runAll checks the partitions in rounds: in each round every unfinished
// partition searches on, on a pool of workers, up to the round's total
// iteration budget. Unless AllPartitions, the first round in which some
// partition fails is the last: the partitions still searching are skipped.
// Budgets count search iterations, not time, so which partitions fail,
// finish or are skipped is the same on every run, and the failures reported
// are the cheapest to find.
func runAll[S, I, O any](ctx context.Context, runs []partitionRun[S, I, O], opts Options) {
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	active := make([]int, len(runs))
	for i := range active {
		active[i] = i
	}
	for budget := iterationsFirstRound; len(active) > 0 && ctx.Err() == nil; budget *= roundGrowth {
		runRound(ctx, runs, active, budget, workers)
		failed := false
		unfinished := active[:0]
		for _, i := range active {
			switch runs[i].verdict {
			case Illegal:
				failed = true
			case Unknown:
				unfinished = append(unfinished, i)
			}
		}
		active = unfinished
		if failed && !opts.AllPartitions {
			for _, i := range active {
				runs[i].skipped = true
				runs[i].search = nil
			}
			return
		}
		if budget > math.MaxInt/roundGrowth {
			budget = math.MaxInt / roundGrowth
		}
	}
}

// runRound advances the active partitions to budget iterations each.
func runRound[S, I, O any](ctx context.Context, runs []partitionRun[S, I, O], active []int, budget, workers int) {
	workers = min(workers, len(active))
	if workers <= 1 {
		for _, i := range active {
			runs[i].step(ctx, budget)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for k := next.Add(1) - 1; k < int64(len(active)); k = next.Add(1) - 1 {
				runs[active[k]].step(ctx, budget)
			}
		})
	}
	wg.Wait()
}
