package main

import (
	"flag"
	"fmt"
	"time"

	"github.com/orrery-sim/orrery/harness"
	"github.com/orrery-sim/orrery/sim"
	"github.com/orrery-sim/orrery/simtest"
)

// rapidCasesMax bounds the cases of the rapid strategy, whose runs are short.
const rapidCasesMax = 500

// rapidSafety is the safety phase of a rapid case, as in the protocols'
// conformance tests: many short runs rather than few long ones.
const rapidSafety = 3 * sim.Second

func init() {
	// Fixed unless given: the search's cases, and so its row, are then the
	// same from run to run. No fail files: bugbench is not a test.
	_ = flag.Set("rapid.seed", "1")
	_ = flag.Set("rapid.nofailfile", "true")
}

// measureRapid runs simtest's property search (rapid draws the fault plan and
// the schedule, and shrinks) until the first failure.
func measureRapid(o *options, protocol, bug string) row {
	checks := int(min(o.seeds, rapidCasesMax))
	r := row{Protocol: protocol, Bug: bug, Strategy: "rapid (simtest)", Unit: "cases", Bound: uint64(checks)}
	tb := &benchTB{name: "bugbench/" + protocol + "/" + bug}
	spec := simtest.Spec{
		Config:     harness.Config{Bug: bug, Safety: rapidSafety},
		Faults:     simtest.Budget{Episodes: 8},
		Checks:     checks,
		ShrinkTime: max(o.shrinkTime, time.Second),
	}
	start := time.Now()
	f := simtest.FindProtocol(tb, protocol, spec)
	r.WallMs = float64(time.Since(start).Microseconds()) / 1000
	if tb.fatal != "" {
		r.Note = tb.fatal
	}
	if f == nil {
		return r
	}
	r.Found, r.First, r.Property = true, uint64(f.Cases), f.Result.Property
	r.ShrunkEvents, r.ShrunkFaults = f.Result.Events, len(f.Plan())
	r.Note = "wall incl. rapid's shrinking"
	return r
}

// benchTB is the rapid.TB of a search outside go test: it records failures
// instead of ending a test.
type benchTB struct {
	name  string
	fatal string
}

func (t *benchTB) Helper()                   {}
func (t *benchTB) Name() string              { return t.name }
func (t *benchTB) Logf(string, ...any)       {}
func (t *benchTB) Log(...any)                {}
func (t *benchTB) Skipf(string, ...any)      {}
func (t *benchTB) Skip(...any)               {}
func (t *benchTB) SkipNow()                  {}
func (t *benchTB) Errorf(f string, a ...any) { t.fail(fmt.Sprintf(f, a...)) }
func (t *benchTB) Error(a ...any)            { t.fail(fmt.Sprint(a...)) }
func (t *benchTB) Fatalf(f string, a ...any) { t.fail(fmt.Sprintf(f, a...)) }
func (t *benchTB) Fatal(a ...any)            { t.fail(fmt.Sprint(a...)) }
func (t *benchTB) FailNow()                  {}
func (t *benchTB) Fail()                     {}
func (t *benchTB) Failed() bool              { return false }

func (t *benchTB) fail(msg string) {
	if t.fatal == "" {
		t.fatal = msg
	}
}
