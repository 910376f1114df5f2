package harness

import (
	"fmt"
	"runtime"
	"sync"
)

// Search is the outcome of FirstFailure.
type Search struct {
	// Failure is the lowest failing seed's outcome, with its finished World,
	// nil if every seed passed.
	Failure *Outcome
	// EventsBefore is the number of events run by the passing seeds below it (or
	// by every seed when none failed): the cost of finding the failure.
	EventsBefore uint64
}

// FirstFailure runs seeds from..to of cfg on workers goroutines (0: every core)
// and returns the lowest failing seed. The answer does not depend on the number
// of workers: seeds above a known failure are skipped, seeds below it always run.
// It is a driver outside the simulation; each seed is its own world. The
// protocol is cfg.Impl when set (registered or not), else the registered one
// that cfg.Protocol names.
func FirstFailure(cfg Config, from, to uint64, workers int) (Search, error) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	var (
		mu     sync.Mutex
		next   = from
		best   *Outcome
		events = map[uint64]uint64{}
		runErr error
		wg     sync.WaitGroup
	)
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				seed := next
				next++
				stop := seed > to || seed < from || (best != nil && seed > best.Config.Seed) || runErr != nil
				mu.Unlock()
				if stop {
					return
				}
				c := cfg
				c.Seed = seed
				out, err := Run(c, RunOptions{})
				mu.Lock()
				switch {
				case err != nil:
					runErr = fmt.Errorf("seed %d: %w", seed, err)
				default:
					events[seed] = out.Result.Events
					if out.Result.Failed() && (best == nil || seed < best.Config.Seed) {
						best = out // keeps its world; passing worlds are dropped
					}
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if runErr != nil {
		return Search{}, runErr
	}
	s := Search{Failure: best}
	for seed, e := range events { // the sum does not depend on order
		if best == nil || seed < best.Config.Seed {
			s.EventsBefore += e
		}
	}
	return s, nil
}
