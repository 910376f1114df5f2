package harness

import (
	"fmt"
	"strconv"

	"github.com/orrery-sim/orrery/scheduler"
	"github.com/orrery-sim/orrery/traces"
)

// Scheduler names for Config.Scheduler.
const (
	SchedulerSeeded = "seeded" // also ""
	SchedulerPCT    = "pct"
	SchedulerRapid  = "rapid"
	SchedulerFuzz   = "fuzz" // a decision tape of simtest.Fuzz
	// SchedulerSplice is a branch of a guided search (package hunt): a
	// recorded prefix of another run's choices, then a seeded stream.
	SchedulerSplice = "splice"
)

// PCTDepthDefault is PCT's bug depth when Config.PCTDepth is 0: two change
// points, enough for the ordering bugs of depth 3 that PCT's paper finds most.
const PCTDepthDefault = 3

// NewChooser builds the chooser a resolved config asks for. A "rapid" run's
// choices came from a property test and exist only in its trace, so it can be
// replayed (RunOptions.Chooser = scheduler.NewReplay) but not re-run from its
// seed.
func NewChooser(cfg Config) (scheduler.Chooser, error) {
	switch cfg.Scheduler {
	case "", SchedulerSeeded:
		if cfg.PCTDepth != 0 {
			return nil, fmt.Errorf("PCT depth %d given without the pct scheduler", cfg.PCTDepth)
		}
		return scheduler.NewSeeded(cfg.Seed), nil
	case SchedulerPCT:
		depth := cfg.PCTDepth
		if depth == 0 {
			depth = PCTDepthDefault
		}
		if depth < 1 || depth > scheduler.PCTDepthMax {
			return nil, fmt.Errorf("PCT depth %d: want 1..%d", depth, scheduler.PCTDepthMax)
		}
		return scheduler.NewPCT(cfg.Seed, depth, int64(cfg.Safety)), nil
	case SchedulerRapid, SchedulerFuzz, SchedulerSplice:
		return nil, fmt.Errorf("scheduler %q: the run's choices are in its trace; replay the trace", cfg.Scheduler)
	}
	return nil, fmt.Errorf("unknown scheduler %q (known: seeded, pct)", cfg.Scheduler)
}

// schedulerOptions are the banner lines of a non-default scheduler. A seeded
// run shows none, so that the banners and traces of seeded runs stay as they
// were before schedulers could be chosen.
func schedulerOptions(cfg Config) []traces.Option {
	switch cfg.Scheduler {
	case "", SchedulerSeeded:
		return nil
	case SchedulerPCT:
		depth := cfg.PCTDepth
		if depth == 0 {
			depth = PCTDepthDefault
		}
		return []traces.Option{{Key: "scheduler", Value: "pct depth " + strconv.Itoa(depth)}}
	}
	return []traces.Option{{Key: "scheduler", Value: cfg.Scheduler}}
}
