// Package agent breaks every rule once, next to the deterministic forms that are allowed.
package agent

import (
	crand "crypto/rand"
	"io"
	"maps"
	mrand "math/rand"
	randv2 "math/rand/v2"
	"slices"
	"sync"
	"time"
)

func Goroutines(c chan int) {
	go func() {}() // want `go statement: a simulation runs on one goroutine`
	select {       // want `select statement: channel timing is nondeterministic`
	case <-c:
	default:
	}
	var wg sync.WaitGroup
	wg.Go(func() {}) // want `sync.WaitGroup.Go starts a goroutine`
	wg.Wait()
}

func WallClock(t time.Time) time.Duration {
	time.Sleep(time.Since(t))      // want `time.Sleep reads the wall clock` `time.Since reads the wall clock`
	_ = time.Until(t)              // want `time.Until reads the wall clock`
	<-time.After(time.Second)      // want `time.After reads the wall clock`
	time.AfterFunc(0, func() {})   // want `time.AfterFunc reads the wall clock`
	_ = time.Tick(time.Second)     // want `time.Tick reads the wall clock`
	_ = time.NewTimer(time.Second) // want `time.NewTimer reads the wall clock`
	_ = time.NewTicker(1)          // want `time.NewTicker reads the wall clock`
	clock := time.Now              // want `time.Now reads the wall clock: use virtual time`
	_ = clock
	// Methods and values of time are deterministic.
	_ = t.After(t.Add(time.Second))
	return time.Duration(3) * time.Millisecond
}

func GlobalRandom(buf []byte) int {
	mrand.Seed(1)                  // want `math/rand.Seed uses the global random source`
	_ = randv2.N(10)               // want `math/rand/v2.N uses the global random source`
	_, _ = crand.Read(buf)         // want `crypto/rand.Read is nondeterministic`
	var r io.Reader = crand.Reader // want `crypto/rand.Reader is nondeterministic`
	_ = r
	crand.Reader = zeroReader{} // pointing crypto/rand at a deterministic source is allowed
	// Generators built from an explicit seed are deterministic.
	g := mrand.New(mrand.NewSource(1))
	h := randv2.New(randv2.NewPCG(1, 2))
	return mrand.Intn(3) + g.Intn(2) + h.IntN(2) // want `math/rand.Intn uses the global random source`
}

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) { clear(p); return len(p), nil }

func MapOrder(m map[string]int) (n int) {
	for k := range m { // want `range over a map: iteration order is random \(sort the keys, or mark the loop // lint:ordered <why>\)`
		_ = k
	}
	// lint:ordered only sums
	for _, v := range m {
		n += v
	}
	for range m { // lint:ordered only counts
		n++
	}
	// lint:ordered
	for range m { // want `range over a map: the // lint:ordered comment must say why the order does not matter`
	}
	// lint:ordered only counts, but too far above the loop

	for range m { // want `range over a map: iteration order`
	}
	// lint:orderedness is not the mark
	for range m { // want `range over a map: iteration order`
	}
	for k := range maps.Keys(m) { // want `range over maps.Keys: iteration order is random`
		_ = k
	}
	for range maps.Values(m) { // want `range over maps.Values`
	}
	for range maps.All(m) { // want `range over maps.All`
	}
	for _, k := range slices.Sorted(maps.Keys(m)) { // sorted: deterministic
		n += m[k]
	}
	return n
}

type table map[int]bool

func Named(t table) {
	for range t { // want `range over a map`
	}
}

func Generic[M ~map[K]V, K comparable, V any](m M) {
	for range m { // want `range over a map`
	}
}

func GenericPlain[M map[int]V, V any](m M) {
	for range m { // want `range over a map`
	}
}

func GenericSlice[S ~[]E, E any](s S) {
	for range s {
	}
}
