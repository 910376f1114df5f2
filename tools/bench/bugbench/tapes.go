package main

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/orrery-sim/orrery/harness"
	"github.com/orrery-sim/orrery/simtest"
)

// tapeBytes is the length of a random tape: it answers the nemesis' plan
// (which lanes, rates and the first episodes) and the first workload and
// delay choices; a seeded stream of the tape's hash answers the rest.
const tapeBytes = 256

// tapesPerBatch are run in parallel; the first failing one in tape order
// counts, so the answer does not depend on the workers.
const tapesPerBatch = 16

// measureTapes runs simtest.Fuzz's run of a decision tape (simtest.RunTape)
// on random tapes: the fuzz target without the fuzzer. go test -fuzz cannot
// be driven in-process, and its coverage feedback sees the engine's code
// paths, not the protocol's states, so this is the honest in-process
// baseline of its search space: how often a drawn tape fails.
func measureTapes(o *options, protocol, bug string) row {
	r := row{Protocol: protocol, Bug: bug, Strategy: strategyTapes, Unit: "tapes", Bound: o.runs}
	spec := simtest.Spec{Config: harness.Config{Protocol: protocol, Bug: bug}, FixedSizes: true,
		TraceDir: filepath.Join(os.TempDir(), "bugbench")}
	start := time.Now()
	for k := range o.bases {
		first, err := firstTape(o, spec, protocol, baseSeed(k), start.Add(o.cellTime))
		if err != nil {
			r.Note = err.Error()
		}
		if first < 0 {
			r.TimedOut = true
			first = 0
		}
		if first > 0 {
			r.Found++
		}
		r.Firsts = append(r.Firsts, first)
	}
	r.Median = median(r.Firsts)
	r.WallMs = float64(time.Since(start).Microseconds()) / 1000
	return r
}

// firstTape returns the 1-based index of the first failing tape of base
// (0: none within o.runs, -1: the deadline passed first).
func firstTape(o *options, spec simtest.Spec, protocol string, base uint64, deadline time.Time) (int, error) {
	p, err := lookup(protocol)
	if err != nil {
		return 0, err
	}
	spec.Protocol = p
	rng := rand.New(rand.NewPCG(base, 0x7a9e))
	for done := 0; done < o.runs; done += tapesPerBatch {
		if time.Now().After(deadline) {
			return -1, nil
		}
		n := min(tapesPerBatch, o.runs-done)
		tapes := make([][]byte, n)
		for i := range tapes {
			tapes[i] = make([]byte, tapeBytes)
			for j := range tapes[i] {
				tapes[i][j] = byte(rng.Uint32())
			}
		}
		failed := make([]bool, n)
		errs := make([]error, n)
		var wg sync.WaitGroup
		sem := make(chan struct{}, max(o.workers, 1))
		for i := range tapes {
			wg.Add(1)
			sem <- struct{}{}
			go func() {
				defer func() { <-sem; wg.Done() }()
				f, err := simtest.RunTape(fmt.Sprintf("bugbench-%d-%d", base, done+i), spec, tapes[i])
				failed[i], errs[i] = f != nil, err
			}()
		}
		wg.Wait()
		for i := range tapes {
			if errs[i] != nil {
				return 0, errs[i]
			}
			if failed[i] {
				return done + i + 1, nil
			}
		}
	}
	return 0, nil
}
