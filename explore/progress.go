package explore

import (
	"fmt"
	"runtime"
	"sync"
	"time"
)

// startProgress prints a line to Options.Progress every ProgressEvery until the
// returned function is called. Progress is driven by wall-clock time, which is
// fine here: it only observes the search and never feeds back into it.
func (c *checker[S, A]) startProgress(start time.Time) (stop func()) {
	if c.options.Progress == nil {
		return func() {}
	}
	every := c.options.ProgressEvery
	if every <= 0 {
		every = progressEveryDefault
	}
	every = max(every, progressEveryMinimumMs*time.Millisecond)
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		ticker := time.NewTicker(every)
		defer ticker.Stop()
		for {
			select {
			case <-done:
				return
			case now := <-ticker.C:
				c.printProgress(now.Sub(start))
			}
		}
	}()
	return func() {
		close(done)
		wg.Wait()
	}
}

func (c *checker[S, A]) printProgress(elapsed time.Duration) {
	var mem runtime.MemStats
	runtime.ReadMemStats(&mem)
	states := c.progressStates.Load()
	fmt.Fprintf(c.options.Progress, "explore %s: %.0fs states=%d generated=%d depth=%d states/s=%.0f heap=%dMiB\n",
		c.model.Name(), elapsed.Seconds(), states, c.progressGenerated.Load(), c.progressDepth.Load(),
		float64(states)/elapsed.Seconds(), mem.HeapInuse>>20)
}
