package simtest_test

import (
	"strings"
	"testing"
	"time"

	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/sim"
	"github.com/orrery-sim/orrery/simtest"
)

// TestFindReportsAPropertyPanic: a property whose Check panics (here: once
// the server counted 5, it reads a missing map) is a failing case with a
// Panic verdict naming the property, not a crash of the test binary.
func TestFindReportsAPropertyPanic(t *testing.T) {
	p := counterProtocol(false)
	setup := p.Setup
	p.Setup = func(w *sim.World, o protocols.Options) (*protocols.Instance, error) {
		inst, err := setup(w, o)
		w.AddProperty(sim.Property{Name: "reads-nil", Kind: sim.Always, Check: func(w *sim.World) error {
			if c, _ := w.Agent(inst.Servers[0]).(*counter); c != nil && c.count >= 5 {
				var m map[int]int
				m[c.count]++
			}
			return nil
		}})
		return inst, err
	}
	f := simtest.Find(t, simtest.Spec{Protocol: p, Checks: 20, ShrinkTime: 5 * time.Second, TraceDir: t.TempDir()})
	if f == nil {
		t.Fatal("no failing case")
	}
	if f.Result.Verdict != sim.VerdictPanic || !strings.HasPrefix(f.Result.Reason, "property reads-nil:") {
		t.Fatalf("got %s %s: %s", f.Result.Verdict, f.Result.Property, f.Result.Reason)
	}
}
