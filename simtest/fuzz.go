package simtest

import (
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"path/filepath"
	"testing"

	"github.com/orrery-sim/orrery/faults"
	"github.com/orrery-sim/orrery/harness"
	"github.com/orrery-sim/orrery/scheduler"
	"github.com/orrery-sim/orrery/shrink"
)

// Fuzz makes s a target of Go's coverage-guided fuzzer: each input is a
// decision tape (scheduler.Tape) that answers every choice of one run under
// the swarm nemesis — first the fault plan (which kinds, how often, when,
// where), then the workload and the delays — so the fuzzer's mutations and
// its coverage feedback steer the nemesis and the schedule together. Write
//
//	func FuzzMine(f *testing.F) { simtest.Fuzz(f, simtest.Spec{Protocol: mine.Protocol}) }
//
// and run `go test -fuzz FuzzMine -fuzzminimizetime 0`: nearly every early
// input covers new code, and Go's default minimises each for up to a minute,
// which leaves little time to fuzz. Without -fuzz, the seed corpus and the
// saved failing inputs under testdata/fuzz/ run as ordinary tests: commit the
// ones the fuzzer finds. A failing input fails the test with the failure, the
// fault plan the nemesis drew from it, its trace (written to s.TraceDir,
// default testdata/simtest) and the command that replays it. The protocol must be deterministic: Fuzz runs the self-check of
// Check first.
//
// With -simtest.replay=FILE, the fuzz test replays that trace instead (the
// printed replay command of a protocol the registry does not know).
func Fuzz(f *testing.F, s Spec) {
	f.Helper()
	if *replayFlag != "" {
		replayInCheck(f, s)
		f.Fuzz(func(*testing.T, []byte) {})
		return
	}
	st, err := newState(s)
	if err != nil {
		f.Fatal(err)
	}
	if err := selfCheck(st.base); err != nil {
		f.Fatal(err)
	}
	for seed := range uint64(fuzzSeedsCorpus) {
		f.Add(seedTape(seed))
	}
	f.Fuzz(func(t *testing.T, tape []byte) {
		if fail := st.runTape(t.Name(), tape); fail != nil {
			t.Fatalf("simtest: %s", fail)
		}
	})
}

// RunTape runs one decision tape of s, as Fuzz does, and returns the failure,
// if any (nil: the run passed), with its trace written under s.TraceDir and
// named after test.
func RunTape(test string, s Spec, tape []byte) (*Failure, error) {
	st, err := newState(s)
	if err != nil {
		return nil, err
	}
	return st.runTape(test, tape), nil
}

// fuzzSeedsCorpus is how many seed tapes Fuzz adds: tapes of pseudo-random
// bytes long enough to answer a fault plan.
const fuzzSeedsCorpus = 4

func seedTape(seed uint64) []byte {
	b := make([]byte, 0, 64)
	h := fnv.New64a()
	for len(b) < cap(b) {
		binary.Write(h, binary.LittleEndian, seed)
		b = h.Sum(b)
	}
	return b
}

// runTape runs the tape; a failing run's trace is written and named.
func (st *state) runTape(test string, tape []byte) *Failure {
	cfg := st.base
	cfg.Faults, cfg.Scheduler, cfg.Seed = "swarm", harness.SchedulerFuzz, 0
	tp := scheduler.NewTape(tape)
	rec := &scheduler.Recorder{Inner: tp}
	out, err := harness.Run(cfg, harness.RunOptions{Chooser: rec, Protocol: st.proto})
	if err != nil {
		return &Failure{Config: cfg, Tape: tape, Command: fmt.Sprintf("(the run did not start: %v)", err)}
	}
	r := out.Result
	if !r.Failed() {
		return nil
	}
	f := &Failure{Config: out.Config, Choices: rec.Log, Tape: tape, TapeUsed: tp.Used(), Result: r, Cases: 1}
	// The plan the nemesis drew, for the report: the trace replays "swarm"
	// from its choices, which say where every fault fell only to a replay.
	if plan, err := shrink.Plan(shrink.Case{Config: out.Config, Choices: rec.Log}); err == nil {
		f.drawn = append(faults.Plan{}, plan...) // non-nil: drawn, if empty
	}
	dir := st.spec.TraceDir
	if dir == "" {
		dir = filepath.Join("testdata", "simtest")
	}
	if err := st.writeTrace(test, dir, f); err != nil {
		f.Trace, f.Command = "", err.Error()
	}
	return f
}
