package cli

import (
	"fmt"
	"io"
	"maps"
	"os"
	"os/signal"
	"runtime/debug"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/orrery-sim/orrery/harness"
	"github.com/orrery-sim/orrery/internal/exitcode"
	"github.com/orrery-sim/orrery/sim"
)

// seedResult is one finished seed of a sweep.
type seedResult struct {
	seed uint64
	sum  summary
	out  *harness.Outcome // nil for seeds read back from a results file
	err  error
}

// sweepGCPercent is the GC target during a sweep (the runtime's default is 100).
const sweepGCPercent = 400

// progressInterval is how often a sweep reports progress on a non-terminal.
const progressInterval = 2 * time.Second

// plan is the set of seeds a sweep runs: a range, a shard of it, minus the seeds a
// results file already holds.
type plan struct {
	lo, hi      uint64
	shard, of   uint64
	done        map[uint64]summary // from -resume
	total, todo uint64
	// continueWith is the command that continues the sweep after an
	// interruption, "" when its results are not saved.
	continueWith string
}

// notifyInterrupt makes a sweep's interrupts channel receive Ctrl-C (SIGINT);
// tests interrupt a sweep through it.
var notifyInterrupt = func(c chan<- os.Signal) { signal.Notify(c, os.Interrupt) }

// exitInterrupted is the exit code of an interrupted sweep (128 + SIGINT, as a
// shell reports a process that Ctrl-C ended): it did not run every seed, so it
// neither passes nor fails.
const exitInterrupted = exitcode.Interrupted

// resumeCommand is the command line that continues the sweep of the resolved
// cfg over p from its results file: the reproduce line of its first seed with
// the range, the shard and the results file instead of the seed.
func resumeCommand(cfg harness.Config, p *plan, results, resume string) string {
	cfg.Seed = p.lo
	cmd := reproduce(cfg)
	cmd = strings.Replace(cmd, fmt.Sprintf(" -seed %d ", p.lo), fmt.Sprintf(" -seeds %d-%d ", p.lo, p.hi), 1)
	if p.of > 1 {
		cmd += fmt.Sprintf(" -shard %d/%d", p.shard, p.of)
	}
	if results != "" && resume != "" && results != resume {
		return cmd + " -results " + shellQuote(results) + " -resume " + shellQuote(resume)
	}
	if results == "" {
		results = resume
	}
	return cmd + " -resume " + shellQuote(results)
}

func (p *plan) includes(seed uint64) bool {
	if (seed-p.lo)%p.of != p.shard {
		return false
	}
	_, done := p.done[seed]
	return !done
}

func newPlan(o *options, lo, hi uint64) (*plan, error) {
	p := &plan{lo: lo, hi: hi, of: 1, done: map[uint64]summary{}}
	if o.shard != "" {
		i, n, ok := strings.Cut(o.shard, "/")
		shard, err1 := strconv.ParseUint(i, 10, 64)
		of, err2 := strconv.ParseUint(n, 10, 64)
		if !ok || err1 != nil || err2 != nil || of == 0 || shard >= of {
			return nil, usagef("-shard: want I/N with 0 <= I < N, got %q", o.shard)
		}
		p.shard, p.of = shard, of
	}
	if hi-lo >= p.shard {
		p.total = (hi-lo-p.shard)/p.of + 1
	}
	p.todo = p.total
	return p, nil
}

// inShard reports whether seed is one of the plan's (done or not).
func (p *plan) inShard(seed uint64) bool {
	return seed >= p.lo && seed <= p.hi && (seed-p.lo)%p.of == p.shard
}

// resume takes the seeds of a results file as done.
func (p *plan) resume(done map[uint64]summary) {
	p.done = done
	for s := range done { // lint:ordered only counts
		if p.inShard(s) {
			p.todo--
		}
	}
}

// sweep runs the plan's seeds on o.workers goroutines. Each seed is an independent
// deterministic world, so verdicts do not depend on the number of workers, the
// sharding or interruptions; results print in seed order.
func sweep(o *options, lo, hi uint64, stdout, stderr io.Writer) (int, error) {
	cfg, _, err := o.cfg.ResolveShared() // each seed draws its own swarm cluster
	if err != nil {
		return 0, usageError{err.Error()}
	}
	p, err := newPlan(o, lo, hi)
	if err != nil {
		return 0, err
	}
	header := newSweepHeader(cfg, p)
	if o.resume != "" {
		done, err := readResults("-resume", o.resume, header, p)
		if err != nil {
			return 0, err
		}
		p.resume(done)
	}
	resultsPath := o.results
	if resultsPath == "" {
		resultsPath = o.resume
	}
	var results io.Writer
	if resultsPath != "" {
		f, err := openResults(resultsPath, header, p, o.resume != "")
		if err != nil {
			return 0, err
		}
		results = f
		defer f.Close()
	}
	if resultsPath != "" {
		p.continueWith = resumeCommand(cfg, p, o.results, o.resume)
	}
	var stop atomic.Bool
	interrupts := make(chan os.Signal, 1)
	notifyInterrupt(interrupts)
	defer signal.Stop(interrupts)
	finished := make(chan struct{})
	defer close(finished)
	go func() {
		select {
		case <-interrupts:
			stop.Store(true) // finish the seeds in flight, record them, report
		case <-finished:
		}
	}()
	// A sweep makes many small short-lived worlds; with the default GC target the
	// collector's mark workers take a core's share from the runs (1.5x instead of
	// 1.9x on 2 workers for chat). Memory stays small: one world per worker.
	if os.Getenv("GOGC") == "" {
		defer debug.SetGCPercent(debug.SetGCPercent(sweepGCPercent))
	}
	ch := runSeeds(o, p, &stop)
	return collect(o, p, ch, results, &stop, stdout, stderr)
}

func runSeeds(o *options, p *plan, stop *atomic.Bool) <-chan seedResult {
	var next atomic.Uint64
	next.Store(p.lo)
	ch := make(chan seedResult, 2*o.workers)
	var wg sync.WaitGroup
	for i := 0; i < o.workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				seed := next.Add(1) - 1
				if seed > p.hi || seed < p.lo {
					return
				}
				if !p.includes(seed) {
					continue
				}
				cfg := o.cfg
				cfg.Seed = seed
				start := time.Now()
				out, err := harness.Run(cfg, harness.RunOptions{})
				r := seedResult{seed: seed, out: out, err: err}
				if err == nil {
					r.sum = summarize(out, time.Since(start))
					out.World = nil // let the finished world go
				}
				ch <- r
			}
		}()
	}
	go func() { wg.Wait(); close(ch) }()
	return ch
}

func collect(o *options, p *plan, ch <-chan seedResult, results io.Writer, stop *atomic.Bool, stdout, stderr io.Writer) (int, error) {
	bar := newProgress(stderr, p.todo)
	buffered := map[uint64]seedResult{} // finished out of order, waiting for their turn
	nextSeed := p.lo
	var done, events uint64
	var failures []summary
	var campaign harness.Campaign
	for _, seed := range slices.Sorted(maps.Keys(p.done)) {
		if s := p.done[seed]; p.inShard(seed) {
			campaign.Add(s.Held, s.NotHeld, s.Faults)
			if s.ExitCode != 0 {
				failures = append(failures, s)
			}
		}
	}
	for r := range ch {
		if r.err != nil {
			stop.Store(true)
			return 0, usageError{fmt.Sprintf("seed %d: %v", r.seed, r.err)}
		}
		if results != nil {
			if err := writeJSON(results, r.sum); err != nil {
				return 0, usagef("-results: %v", err)
			}
		}
		done++
		events += r.sum.Events
		campaign.Add(r.sum.Held, r.sum.NotHeld, r.sum.Faults)
		if r.sum.ExitCode != 0 {
			failures = append(failures, r.sum)
		}
		buffered[r.seed] = r
		nextSeed = flushInOrder(o, p, buffered, nextSeed, stdout)
		bar.update(done, uint64(len(failures)))
	}
	bar.finish(done, uint64(len(failures)))
	sort.Slice(failures, func(i, j int) bool { return failures[i].Seed < failures[j].Seed })
	interrupted := done < p.todo // stop was set: the seeds in flight finished, no others ran
	if !o.json {
		printSweep(stdout, o, p, done, events, bar.elapsed(), failures, interrupted, &campaign)
	} else if interrupted {
		printInterrupted(stderr, p, done)
	} else if err := campaign.Err(); err != nil && len(failures) == 0 {
		fmt.Fprintf(stderr, "coverage: %v\n", err)
	}
	switch {
	case interrupted:
		return exitInterrupted, nil
	case len(failures) == 0 && campaign.Err() != nil:
		return sim.VerdictLiveness.ExitCode(), nil
	case len(failures) == 0:
		return 0, nil
	}
	return failures[0].ExitCode, nil
}

// printInterrupted says how much of an interrupted sweep ran, and how to
// continue it.
func printInterrupted(w io.Writer, p *plan, done uint64) {
	fmt.Fprintf(w, "result      INTERRUPTED: ran %d of %d seeds (%d not run)\n", p.total-p.todo+done, p.total, p.todo-done)
	if p.continueWith == "" {
		fmt.Fprintf(w, "            results were not saved (no -results FILE): the sweep must run again\n")
		return
	}
	fmt.Fprintf(w, "resume:     %s\n", p.continueWith)
}

// flushInOrder prints (with -json) the buffered results that are next in seed order.
func flushInOrder(o *options, p *plan, buffered map[uint64]seedResult, nextSeed uint64, stdout io.Writer) uint64 {
	for nextSeed <= p.hi {
		if !p.includes(nextSeed) {
			nextSeed++
			continue
		}
		b, ok := buffered[nextSeed]
		if !ok {
			break
		}
		delete(buffered, nextSeed)
		if o.json {
			writeJSON(stdout, b.sum)
		}
		if nextSeed == p.hi {
			return nextSeed + 1
		}
		nextSeed++
	}
	return nextSeed
}

// failuresListedMax bounds the failing seeds printed by a sweep.
const failuresListedMax = 50

// printSweep prints the sweep's summary: its scope and speed, the coverage
// report of its seeds (resumed ones included: per sometimes property the
// seeds it held in, and the fault counters), and the result, which fails on
// coverage only when every seed passed and some sometimes property held in
// none.
func printSweep(w io.Writer, o *options, p *plan, done, events uint64, wall time.Duration, failures []summary, interrupted bool, c *harness.Campaign) {
	scope := fmt.Sprintf("%d seeds", p.total)
	if p.of > 1 {
		scope += fmt.Sprintf(" (shard %d/%d of %d..%d)", p.shard, p.of, p.lo, p.hi)
	}
	if len(p.done) > 0 {
		scope += fmt.Sprintf(", %d already in the results file", p.total-p.todo)
	}
	fmt.Fprintf(w, "sweep       %s, %s on %d workers\n", o.cfg.Protocol, scope, o.workers)
	fmt.Fprintf(w, "time        %d run in %v wall, %.1f seeds/s, %.0f events/s\n", done, wall.Round(time.Millisecond), perSecond(done, wall), perSecond(events, wall))
	for _, line := range c.Lines() {
		fmt.Fprintf(w, "coverage    %s\n", line)
	}
	switch {
	case interrupted:
		printInterrupted(w, p, done)
		if len(failures) > 0 {
			fmt.Fprintf(w, "failing     %d of the seeds run so far\n", len(failures))
		}
	case len(failures) == 0 && c.Err() != nil:
		fmt.Fprintf(w, "result      FAIL (coverage): %v\n", c.Err())
		return
	case len(failures) == 0:
		fmt.Fprintf(w, "result      PASS: no failing seed\n")
		return
	default:
		fmt.Fprintf(w, "result      FAIL: %d of %d seeds failed\n", len(failures), p.total)
	}
	if len(failures) == 0 {
		return
	}
	for i, f := range failures {
		if i == failuresListedMax {
			fmt.Fprintf(w, "  ... and %d more\n", len(failures)-i)
			break
		}
		fmt.Fprintf(w, "  seed %-8d %-8s %s: %s\n", f.Seed, f.Verdict, f.Property, firstLine(f.Reason))
	}
	fmt.Fprintf(w, "reproduce:  %s\n", failures[0].Reproduce)
}

// firstLine is the first line of a failure's reason, for a list of one line
// per seed: a reason of several lines (a linearizability explanation) says
// how many more there are, which running the seed prints.
func firstLine(reason string) string {
	first, rest, more := strings.Cut(strings.TrimRight(reason, "\n"), "\n")
	if !more {
		return first
	}
	return fmt.Sprintf("%s (and %d more lines: run the seed)", first, strings.Count(rest, "\n")+1)
}
