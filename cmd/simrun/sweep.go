package main

import (
	"fmt"
	"io"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/orrery-sim/orrery/harness"
)

// seedResult is one finished seed of a sweep.
type seedResult struct {
	seed uint64
	out  *harness.Outcome
	wall time.Duration
	err  error
}

// progressInterval is how often a sweep reports progress on stderr.
const progressInterval = 2 * time.Second

// sweep runs seeds lo..hi on o.workers goroutines. Each seed is an independent,
// deterministic world, so the verdicts do not depend on the number of workers;
// results are reported in seed order.
func sweep(o *options, lo, hi uint64, stdout, stderr io.Writer) (int, error) {
	if _, _, err := o.cfg.Resolve(); err != nil {
		return 0, usageError{err.Error()}
	}
	total := hi - lo + 1
	var next atomic.Uint64
	next.Store(lo)
	results := make(chan seedResult, 2*o.workers)
	var wg sync.WaitGroup
	for i := 0; i < o.workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				seed := next.Add(1) - 1
				if seed > hi || seed < lo {
					return
				}
				cfg := o.cfg
				cfg.Seed = seed
				start := time.Now()
				out, err := harness.Run(cfg, harness.RunOptions{})
				if out != nil {
					out.World = nil // let the finished world go
				}
				results <- seedResult{seed: seed, out: out, wall: time.Since(start), err: err}
			}
		}()
	}
	go func() { wg.Wait(); close(results) }()
	return collect(o, results, lo, total, stdout, stderr)
}

func collect(o *options, results <-chan seedResult, lo, total uint64, stdout, stderr io.Writer) (int, error) {
	start, lastReport := time.Now(), time.Now()
	buffered := map[uint64]seedResult{} // finished out of order, waiting for their turn
	nextSeed := lo
	var done, events uint64
	var failures []seedResult
	for r := range results {
		if r.err != nil {
			return 0, usageError{fmt.Sprintf("seed %d: %v", r.seed, r.err)}
		}
		done++
		events += r.out.Result.Events
		if r.out.Result.Failed() {
			failures = append(failures, r)
		}
		buffered[r.seed] = r
		for {
			b, ok := buffered[nextSeed]
			if !ok {
				break
			}
			delete(buffered, nextSeed)
			nextSeed++
			if o.json {
				writeJSON(stdout, summarizeSweep(b))
			}
		}
		if time.Since(lastReport) >= progressInterval {
			lastReport = time.Now()
			el := time.Since(start)
			fmt.Fprintf(stderr, "sweep: %d/%d seeds, %d failing, %.0f seeds/s\n", done, total, len(failures), perSecond(done, el))
		}
	}
	wall := time.Since(start)
	sort.Slice(failures, func(i, j int) bool { return failures[i].seed < failures[j].seed })
	if !o.json {
		printSweep(stdout, o, total, events, wall, failures)
	}
	if len(failures) == 0 {
		return 0, nil
	}
	return failures[0].out.Result.Verdict.ExitCode(), nil
}

func summarizeSweep(r seedResult) summary {
	out := *r.out
	s := summary{
		Protocol: out.Config.Protocol, Seed: out.Config.Seed, Bug: out.Config.Bug, Verdict: out.Result.Verdict.String(),
		ExitCode: out.Result.Verdict.ExitCode(), Property: out.Result.Property, Reason: out.Result.Reason,
		Events: out.Result.Events, VirtualNs: int64(out.Result.End), WallMs: float64(r.wall.Microseconds()) / 1000,
		Hash: out.Result.HashString(),
	}
	if out.Result.Failed() {
		s.At, s.Reproduce = int64(out.Result.At), reproduce(out.Config)
	}
	return s
}

// failuresListedMax bounds the failing seeds printed by a sweep.
const failuresListedMax = 50

func printSweep(w io.Writer, o *options, total, events uint64, wall time.Duration, failures []seedResult) {
	fmt.Fprintf(w, "sweep       %s, %d seeds on %d workers\n", o.cfg.Protocol, total, o.workers)
	fmt.Fprintf(w, "time        %v wall, %.1f seeds/s, %.0f events/s\n", wall.Round(time.Millisecond), perSecond(total, wall), perSecond(events, wall))
	if len(failures) == 0 {
		fmt.Fprintf(w, "result      PASS: no failing seed\n")
		return
	}
	fmt.Fprintf(w, "result      FAIL: %d of %d seeds failed\n", len(failures), total)
	for i, f := range failures {
		if i == failuresListedMax {
			fmt.Fprintf(w, "  ... and %d more\n", len(failures)-i)
			break
		}
		r := &f.out.Result
		fmt.Fprintf(w, "  seed %-8d %-8s %s: %s\n", f.seed, r.Verdict, r.Property, r.Reason)
	}
	fmt.Fprintf(w, "reproduce:  %s\n", reproduce(failures[0].out.Config))
}
