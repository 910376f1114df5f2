package raft_test

import (
	"runtime"
	"sync"
	"testing"

	"github.com/orrery-sim/orrery/harness"
)

// firstFailure runs seeds from..to of cfg on every core and returns the
// lowest failing seed's outcome (nil if none fails) and how many events the
// seeds before it took. The answer does not depend on the number of workers:
// seeds after a known failure are skipped, seeds before it always run.
func firstFailure(t *testing.T, cfg harness.Config, from, to uint64) (*harness.Outcome, uint64) {
	t.Helper()
	var (
		mu     sync.Mutex
		next   = from
		best   *harness.Outcome
		events = map[uint64]uint64{}
		runErr error
		wg     sync.WaitGroup
	)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				seed := next
				next++
				stop := seed > to || (best != nil && seed > best.Config.Seed) || runErr != nil
				mu.Unlock()
				if stop {
					return
				}
				c := cfg
				c.Seed = seed
				out, err := harness.Run(c, harness.RunOptions{})
				mu.Lock()
				if err != nil {
					runErr = err
				} else {
					events[seed] = out.Result.Events
					if out.Result.Failed() && (best == nil || seed < best.Config.Seed) {
						best = out
					}
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if runErr != nil {
		t.Fatal(runErr)
	}
	var total uint64
	for seed, e := range events {
		if best == nil || seed < best.Config.Seed {
			total += e
		}
	}
	return best, total
}
