package main

import (
	"context"
	"errors"
	"time"

	"github.com/orrery-sim/orrery/explore"
	_ "github.com/orrery-sim/orrery/explore/models"
	"github.com/orrery-sim/orrery/harness"
	"github.com/orrery-sim/orrery/harness/hunt"
	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/shrink"
)

// baseStride separates the base seeds of a strategy: a sweep from base k
// starts at seed 1 + k*baseStride, far from the others' seeds.
const baseStride = 1_000_000

// baseSeed is the k-th base seed (from 0).
func baseSeed(k int) uint64 { return 1 + uint64(k)*baseStride }

// measureHunt runs one of package hunt's strategies from every base seed
// until the first failure, and shrinks the random strategy's first one.
func measureHunt(o *options, protocol, bug, strategy string) row {
	cfg := harness.Config{Protocol: protocol, Bug: bug, Faults: "swarm"}
	r := row{Protocol: protocol, Bug: bug, Strategy: strategy, Unit: "runs", Bound: o.runs}
	start := time.Now()
	ctx, cancel := context.WithDeadline(context.Background(), start.Add(o.cellTime))
	defer cancel()
	var first *hunt.Run
	for k := range o.bases {
		res, err := hunt.Hunt(cfg, hunt.Options{Strategy: strategy, RunsMax: o.runs, BaseSeed: baseSeed(k),
			Workers: o.workers, PCTDepth: o.pctDepth, Context: ctx})
		switch {
		case err != nil:
			r.Note = err.Error()
			r.Firsts = append(r.Firsts, 0)
			continue
		case res.Failure == nil:
			r.TimedOut = r.TimedOut || res.Stopped
			r.Firsts = append(r.Firsts, 0)
			continue
		}
		r.Firsts = append(r.Firsts, res.Runs)
		r.Found++
		if first == nil {
			first = res.Failure
			r.Property = res.Failure.Outcome.Result.Property
		}
	}
	r.Median = median(r.Firsts)
	r.WallMs = float64(time.Since(start).Microseconds()) / 1000
	if first != nil && strategy == hunt.Random && o.shrinkTime != 0 {
		shrinkInto(&r, first, shrink.Options{RunsMax: o.shrinkRuns, Time: o.shrinkTime})
	}
	return r
}

// shrinkInto shrinks a failing run within the budget of so.
func shrinkInto(r *row, run *hunt.Run, so shrink.Options) {
	r.Seed, r.Events = run.Config.Seed, run.Outcome.Result.Events
	res, err := shrink.Shrink(shrink.Case{Config: run.Config, Choices: run.Choices}, so)
	if err != nil {
		r.Note = "shrink: " + err.Error()
		return
	}
	r.ShrunkEvents, r.ShrunkFaults, r.ShrinkRuns = res.After.Events, res.After.Faults, res.Runs
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
		r := row{Protocol: b.Name, Bug: "(model bug)", Strategy: "explore", Unit: "states",
			WallMs: float64(time.Since(start).Microseconds()) / 1000, Firsts: []int{0}}
		switch {
		case errors.Is(err, context.DeadlineExceeded) || res.Limit == "timeout":
			r.TimedOut = true
		case err != nil:
			continue
		case res.Status == explore.StatusComplete:
			continue // no planted bug in this model
		}
		if res.Status == explore.StatusViolated && res.Counterexample != nil {
			r.Found, r.Firsts, r.Median, r.Property = 1, []int{int(res.States)}, int(res.States), res.Counterexample.Property
			r.Note = "BFS: shortest, one search"
		}
		rows = append(rows, r)
	}
	return rows
}

func lookup(name string) (*protocols.Protocol, error) { return protocols.Lookup(name) }
