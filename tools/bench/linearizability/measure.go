package main

import (
	"context"
	"runtime"
	"runtime/metrics"
	"slices"
	"sync/atomic"
	"time"
)

// measure alternates the two checkers on one case, Orrery first on even
// repetitions and Porcupine first on odd ones, so neither always runs on a
// warmer heap. A check slower than slowTime is not repeated.
func measure(c config, bc benchCase) outcome {
	o := outcome{benchCase: bc}
	oursSlow, theirsSlow := false, false
	for rep := 0; rep < c.reps && !(oursSlow && theirsSlow); rep++ {
		runOurs := func() {
			if oursSlow {
				return
			}
			runtime.GC()
			start := time.Now()
			o.oursVerdict = bc.ours(context.Background(), c.timeout)
			d := time.Since(start)
			o.oursTimes = append(o.oursTimes, d)
			oursSlow = d > c.slowTime
		}
		runTheirs := func() {
			if theirsSlow {
				return
			}
			runtime.GC()
			start := time.Now()
			o.theirsVerdict = bc.theirs(c.timeout)
			d := time.Since(start)
			o.theirsTimes = append(o.theirsTimes, d)
			theirsSlow = d > c.slowTime
		}
		if rep%2 == 0 {
			runOurs()
			runTheirs()
		} else {
			runTheirs()
			runOurs()
		}
	}
	return o
}

func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

func sortTimed[T any](ts []T, at func(T) int64) {
	slices.SortStableFunc(ts, func(a, b T) int {
		switch x, y := at(a), at(b); {
		case x < y:
			return -1
		case x > y:
			return 1
		}
		return 0
	})
}

func round(d time.Duration) time.Duration {
	switch {
	case d >= time.Second:
		return d.Round(10 * time.Millisecond)
	case d >= time.Millisecond:
		return d.Round(10 * time.Microsecond)
	}
	return d.Round(100 * time.Nanosecond)
}

// heapSampleEvery is how often the sampler reads the live heap; runtime
// metrics are read without stopping the world.
const heapSampleEvery = time.Millisecond

// peakHeap runs f while sampling live heap bytes, and returns the peak above
// the heap before f.
func peakHeap(f func()) uint64 {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() uint64 {
		metrics.Read(sample)
		return sample[0].Value.Uint64()
	}
	base := read()
	var peak atomic.Uint64
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		ticker := time.NewTicker(heapSampleEvery)
		defer ticker.Stop()
		for {
			if v := read(); v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-done:
				return
			case <-ticker.C:
			}
		}
	}()
	f()
	close(done)
	<-stopped
	if v := read(); v > peak.Load() {
		peak.Store(v)
	}
	if peak.Load() < base {
		return 0
	}
	return peak.Load() - base
}

// measurePeaks measures peak heap, once per checker, on the histories that
// took longest (the slower of the two checkers' medians).
func measurePeaks(c config, results []outcome) {
	order := make([]int, len(results))
	for i := range order {
		order[i] = i
	}
	cost := func(o outcome) time.Duration { return max(median(o.oursTimes), median(o.theirsTimes)) }
	slices.SortStableFunc(order, func(a, b int) int { return int(cost(results[b]) - cost(results[a])) })
	for _, i := range order[:min(c.memFiles, len(order))] {
		o := &results[i]
		o.oursPeak = peakHeap(func() { o.ours(context.Background(), c.timeout) })
		o.theirsPeak = peakHeap(func() { o.theirs(c.timeout) })
	}
}
