package randhook

import (
	"sync"
	"testing"
)

// TestGoroutineID: the portable fallback names goroutines apart, and one
// goroutine the same each time.
func TestGoroutineID(t *testing.T) {
	mine := goroutineID()
	var other uint64
	var wg sync.WaitGroup
	wg.Go(func() { other = goroutineID() })
	wg.Wait()
	if mine == other || mine != goroutineID() || mine == 0 {
		t.Fatalf("ids: here %d then %d, elsewhere %d", mine, goroutineID(), other)
	}
}
