package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/orrery-sim/orrery/harness"
	"github.com/orrery-sim/orrery/simtest"
)

// rapidCasesMax bounds the cases of the rapid strategy per base seed: rapid
// cannot be stopped mid-search, so this bound is also its wall-time bound.
const rapidCasesMax = 1000

func init() {
	// No fail files: bugbench is not a test. The seed is set per base.
	_ = flag.Set("rapid.nofailfile", "true")
}

// rapidSpec is the search simtest's rapid strategy runs: the protocol's
// defaults (the sweep's run length and cluster size, which simtest draws
// down from) and the default fault budget.
func rapidSpec(bug string, checks int) simtest.Spec {
	return simtest.Spec{
		Config:     harness.Config{Bug: bug},
		Checks:     checks,
		ShrinkTime: time.Millisecond, // the cases to the first failure are measured, not the shrink
		TraceDir:   filepath.Join(os.TempDir(), "bugbench"),
	}
}

// measureRapid runs simtest's property search (rapid draws the fault plan and
// the schedule) until the first failure, once per base seed (-rapid.seed k+1).
func measureRapid(o *options, protocol, bug string) row {
	checks := min(o.runs, rapidCasesMax)
	r := row{Protocol: protocol, Bug: bug, Strategy: strategyRapid, Unit: "cases", Bound: checks}
	start := time.Now()
	for k := range o.bases {
		if time.Since(start) > o.cellTime {
			r.TimedOut = true
			r.Firsts = append(r.Firsts, 0)
			continue
		}
		_ = flag.Set("rapid.seed", strconv.Itoa(k+1))
		tb := &benchTB{name: "bugbench/" + protocol + "/" + bug}
		f := simtest.FindProtocol(tb, protocol, rapidSpec(bug, checks))
		if tb.fatal != "" {
			r.Note = tb.fatal
		}
		if f == nil {
			r.Firsts = append(r.Firsts, 0)
			continue
		}
		r.Firsts = append(r.Firsts, f.Cases)
		r.Found++
		if r.Property == "" {
			r.Property = f.Result.Property
		}
	}
	r.Median = median(r.Firsts)
	r.WallMs = float64(time.Since(start).Microseconds()) / 1000
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
