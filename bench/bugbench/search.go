package main

import (
	"context"
	"errors"
	"math"
	"sync"
	"sync/atomic"
	"time"

	"github.com/orrery-sim/orrery/explore"
	_ "github.com/orrery-sim/orrery/explore/models"
	"github.com/orrery-sim/orrery/harness"
	"github.com/orrery-sim/orrery/scheduler"
	"github.com/orrery-sim/orrery/shrink"
)

// measure searches seeds 1..o.seeds of one bug with one strategy, then shrinks
// the first failure.
func measure(o *options, protocol, bug string, s strategy) row {
	cfg := harness.Config{Protocol: protocol, Bug: bug, Faults: "swarm", Scheduler: s.scheduler, PCTDepth: s.depth}
	r := row{Protocol: protocol, Bug: bug, Strategy: s.name, Unit: "seeds", Bound: o.seeds}
	start := time.Now()
	seed, out, timedOut, err := firstFailure(cfg, o.seeds, o.workers, start.Add(o.cellTime))
	r.WallMs = float64(time.Since(start).Microseconds()) / 1000
	switch {
	case err != nil:
		r.Note = err.Error()
		return r
	case out == nil:
		r.TimedOut = timedOut
		return r
	}
	r.Found, r.First, r.Property, r.Events = true, seed, out.Result.Property, out.Result.Events
	if o.shrinkTime > 0 {
		shrinkInto(&r, out.Config, o.shrinkTime)
	}
	return r
}

// firstFailure runs seeds from 1 on workers goroutines and returns the lowest
// failing seed and its outcome. Workers stop taking seeds above the lowest
// failure so far, so every seed below the answer has run: the answer does not
// depend on the number of workers (unless the deadline passes first).
func firstFailure(cfg harness.Config, seedsMax uint64, workers int, deadline time.Time) (uint64, *harness.Outcome, bool, error) {
	var next, best atomic.Uint64
	best.Store(math.MaxUint64)
	var mu sync.Mutex
	var found *harness.Outcome
	var firstErr error
	var timedOut atomic.Bool
	var wg sync.WaitGroup
	for range max(workers, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				seed := next.Add(1)
				if seed > seedsMax || seed > best.Load() {
					return
				}
				if time.Now().After(deadline) {
					timedOut.Store(true)
					return
				}
				c := cfg
				c.Seed = seed
				out, err := harness.Run(c, harness.RunOptions{})
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = err
				}
				if err == nil && out.Result.Failed() && seed < best.Load() {
					best.Store(seed)
					found = out
				}
				mu.Unlock()
				if err != nil {
					return
				}
			}
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return 0, nil, false, firstErr
	}
	if found == nil {
		return 0, nil, timedOut.Load(), nil
	}
	return found.Config.Seed, found, false, nil
}

// shrinkInto re-runs the failing config with a recorder (so the case holds its
// choices, whatever the scheduler) and shrinks it.
func shrinkInto(r *row, cfg harness.Config, budget time.Duration) {
	chooser, err := harness.NewChooser(cfg)
	if err != nil {
		r.Note = err.Error()
		return
	}
	rec := &scheduler.Recorder{Inner: chooser}
	out, err := harness.Run(cfg, harness.RunOptions{Chooser: rec})
	if err != nil {
		r.Note = err.Error()
		return
	}
	res, err := shrink.Shrink(shrink.Case{Config: out.Config, Choices: rec.Log}, shrink.Options{Time: budget})
	if err != nil {
		r.Note = "shrink: " + err.Error()
		return
	}
	r.ShrunkEvents, r.ShrunkFaults = res.After.Events, res.After.Faults
	r.ShrinkMs = float64(res.Elapsed.Microseconds()) / 1000
	r.ShrinkCapped = res.Exhausted
}

// exploreRows runs the model checker on every built-in model that has a planted
// bug (a model without one reports no violation with Bug set: skipped).
func exploreRows(o *options) []row {
	var rows []row
	for _, b := range explore.Builtins() {
		start := time.Now()
		ctx, cancel := context.WithTimeout(context.Background(), o.cellTime)
		res, err := b.Check(ctx, explore.Params{Bug: true}, explore.Options{Workers: o.workers})
		cancel()
		r := row{Protocol: b.Name, Bug: "(model bug)", Strategy: "explore (bfs)", Unit: "states",
			WallMs: float64(time.Since(start).Microseconds()) / 1000}
		switch {
		case errors.Is(err, context.DeadlineExceeded) || res.Limit == "timeout":
			r.TimedOut = true
		case err != nil:
			continue
		case res.Status == explore.StatusComplete:
			continue // no planted bug in this model
		}
		if res.Status == explore.StatusViolated && res.Counterexample != nil {
			r.Found, r.First, r.Property = true, uint64(res.States), res.Counterexample.Property
			r.Events = uint64(len(res.Counterexample.Steps))
			r.Note = "BFS: shortest"
		}
		rows = append(rows, r)
	}
	return rows
}
