package durable_test

import (
	"fmt"
	"strconv"
	"testing"

	"github.com/orrery-sim/orrery/checkers/durable"
	"github.com/orrery-sim/orrery/scheduler"
	"github.com/orrery-sim/orrery/sim"
)

// counter tells its peer each new value of a counter it keeps on disk; with
// sync false it tells before the value is durable.
type counter struct {
	sync bool
	n    int
}

type msgValue struct{ N int }

func (c *counter) Start(ctx *sim.Context) {
	if v, ok := ctx.Storage().Get("n"); ok {
		c.n, _ = strconv.Atoi(string(v))
	}
	ctx.SetTimer("tick", 10*sim.Millisecond)
}
func (c *counter) Receive(*sim.Context, sim.NodeID, sim.Message) {}
func (c *counter) Timer(ctx *sim.Context, _ string) {
	c.n++
	ctx.Storage().Put("n", []byte(strconv.Itoa(c.n)))
	if c.sync {
		ctx.Sync()
	}
	ctx.Send(1, msgValue{N: c.n})
	ctx.SetTimer("tick", 10*sim.Millisecond)
}

type sink struct{}

func (sink) Start(*sim.Context)                            {}
func (sink) Receive(*sim.Context, sim.NodeID, sim.Message) {}
func (sink) Timer(*sim.Context, string)                    {}

func run(sync bool) sim.Result {
	w := sim.New(sim.Options{Chooser: scheduler.NewSeeded(1)})
	w.AddAgent(sim.AgentSpec{Name: "n1", New: func() sim.Agent { return &counter{sync: sync} }})
	w.AddAgent(sim.AgentSpec{Name: "n2", New: func() sim.Agent { return sink{} }})
	c := durable.New([]sim.NodeID{0}, func(a sim.Agent) (int, bool) {
		n, ok := a.(*counter)
		if !ok {
			return 0, false
		}
		return n.n, true
	}, func(now, promised int) error {
		if now < promised {
			return fmt.Errorf("counter %d after telling %d", now, promised)
		}
		return nil
	})
	w.AddProperty(c.Property("told-survives"))
	w.At(55*sim.Millisecond, "crash", func(w *sim.World) { w.Crash("n1", sim.LoseUnsynced) })
	w.At(60*sim.Millisecond, "restart", func(w *sim.World) { w.Restart("n1") })
	return w.Run(100*sim.Millisecond, 0)
}

// TestDurable: a counter that syncs before it tells keeps its word across a
// crash; one that tells first breaks it at the restart.
func TestDurable(t *testing.T) {
	if r := run(true); r.Failed() {
		t.Fatalf("syncing counter: %s %s: %s", r.Verdict, r.Property, r.Reason)
	}
	r := run(false)
	want := "n1 lost what it had promised: counter 0 after telling 5"
	if r.Property != "told-survives" || r.Reason != want || r.At != 60*sim.Millisecond {
		t.Fatalf("telling counter: %s %s at %v: %q, want %q at 60ms", r.Verdict, r.Property, r.At, r.Reason, want)
	}
}
