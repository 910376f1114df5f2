package faults_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/orrery-sim/orrery/faults"
	"github.com/orrery-sim/orrery/scheduler"
	"github.com/orrery-sim/orrery/sim"
	"github.com/orrery-sim/orrery/traces"
	"pgregory.net/rapid"
)

func drawn(seed uint64, spec string, servers, clients, tolerates int) faults.Plan {
	c := newClusterWith(scheduler.NewSeeded(seed), servers, clients, sim.DefaultNetwork)
	return faults.DrawPlan(c.w, faults.Options{Spec: spec, Servers: c.servers, Tolerates: tolerates, Safety: 10 * sim.Second})
}

func TestSameSeedSamePlan(t *testing.T) {
	for _, spec := range []string{"default", "swarm"} {
		a, b := drawn(7, spec, 5, 2, 2).String(), drawn(7, spec, 5, 2, 2).String()
		if a != b || len(a) == 0 {
			t.Fatalf("%s: seed 7 drew two plans:\n%s\n%s", spec, a, b)
		}
		if c := drawn(8, spec, 5, 2, 2).String(); c == a {
			t.Fatalf("%s: seeds 7 and 8 drew the same plan", spec)
		}
	}
}

// TestDrawnPlanReplays checks that a drawn plan, as text, is a valid plan that
// parses back to itself: a failing seed's faults can be replayed as a plan.
func TestDrawnPlanReplays(t *testing.T) {
	for seed := uint64(1); seed <= 50; seed++ {
		p := drawn(seed, "swarm", 5, 2, 2)
		back, err := faults.ParsePlan(p.String())
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		if back.String() != p.String() {
			t.Fatalf("seed %d: plan does not round-trip", seed)
		}
	}
}

// TestNemesisDrawsOnlyFaultChoices: the nemesis draws through the chooser and
// only under the Fault purpose, so other streams are untouched by it.
func TestNemesisDrawsOnlyFaultChoices(t *testing.T) {
	rec := &scheduler.Recorder{Inner: scheduler.NewSeeded(3)}
	c := newClusterWith(rec, 3, 1, sim.DefaultNetwork)
	if _, err := faults.Install(c.w, faults.Options{Spec: "swarm", Servers: c.servers, Tolerates: 1, Safety: 10 * sim.Second}); err != nil {
		t.Fatal(err)
	}
	if len(rec.Log) < 20 {
		t.Fatalf("only %d choices drawn", len(rec.Log))
	}
	for _, ch := range rec.Log {
		if ch.Purpose != scheduler.Fault {
			t.Fatalf("nemesis drew %v", ch)
		}
	}
}

// TestBudget runs drawn plans over random topologies and checks after every
// event that no more than Tolerates server boxes are down or paused, and that
// no client is ever faulted.
func TestBudget(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		servers := rapid.IntRange(1, 7).Draw(rt, "servers")
		clients := rapid.IntRange(0, 2).Draw(rt, "clients")
		tolerates := rapid.IntRange(0, servers).Draw(rt, "tolerates")
		spec := rapid.SampledFrom([]string{"default", "swarm"}).Draw(rt, "spec")
		seed := rapid.Uint64().Draw(rt, "seed")
		c := newClusterWith(scheduler.NewSeeded(seed), servers, clients, sim.DefaultNetwork)
		c.trace()
		_, err := faults.Install(c.w, faults.Options{Spec: spec, Servers: c.servers, Tolerates: tolerates, Safety: 5 * sim.Second})
		if err != nil {
			rt.Fatal(err)
		}
		worst := 0
		c.w.AddProperty(sim.Property{Name: "budget", Kind: sim.Always, Check: func(w *sim.World) error {
			down := 0
			for _, b := range w.Boxes() {
				if !w.BoxUp(b) || w.BoxPaused(b) {
					down++
				}
			}
			worst = max(worst, down)
			if down > tolerates {
				return fmt.Errorf("%d boxes down, budget %d", down, tolerates)
			}
			return nil
		}})
		r := c.w.Run(5*sim.Second, sim.Second)
		if r.Failed() {
			rt.Fatalf("%s: %s", r.Property, r.Reason)
		}
		c.w.FlushTrace()
		for _, e := range c.events {
			if e.Kind != traces.KindFault && e.Kind != traces.KindCrash && e.Kind != traces.KindPause {
				continue
			}
			for _, word := range strings.Fields(e.Text) {
				if isClient(word) {
					rt.Fatalf("client faulted: %s", e.Desc)
				}
			}
		}
	})
}

func TestSwarmDrawsDiffer(t *testing.T) {
	seen := map[string]bool{}
	enabled := map[string]int{}
	for seed := uint64(1); seed <= 40; seed++ {
		c := newClusterWith(scheduler.NewSeeded(seed), 5, 1, sim.DefaultNetwork)
		opts, err := faults.Install(c.w, faults.Options{Spec: "swarm", Servers: c.servers, Tolerates: 2, Safety: 10 * sim.Second})
		if err != nil {
			t.Fatal(err)
		}
		var lanes []string
		for _, o := range opts {
			if strings.HasPrefix(o.Key, "fault.") && o.Key != "fault.plan" {
				lanes = append(lanes, o.Key+"="+o.Value)
				if o.Value != "off" {
					enabled[o.Key]++
				}
			}
		}
		seen[strings.Join(lanes, "\n")] = true
	}
	if len(seen) < 35 {
		t.Fatalf("40 seeds drew only %d swarm configurations", len(seen))
	}
	for k, n := range enabled { // lint:ordered only checks each
		if n < 8 || n > 32 {
			t.Errorf("%s enabled in %d of 40 seeds", k, n)
		}
	}
	if len(enabled) != 9 {
		t.Errorf("lanes ever enabled: %v", enabled)
	}
}

// TestDefaultCountersOverALongRun: the default nemesis enables every lane, and
// over a long run every kind it draws is applied and counted.
func TestDefaultCountersOverALongRun(t *testing.T) {
	c := newCluster(t, 11, 5, 1, sim.DefaultNetwork)
	opts, err := faults.Install(c.w, faults.Options{Spec: "default", Servers: c.servers, Tolerates: 2, Safety: 120 * sim.Second})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range opts {
		if strings.HasPrefix(o.Key, "fault.") && o.Value == "off" {
			t.Fatalf("default nemesis leaves %s off", o.Key)
		}
	}
	r := c.w.Run(120*sim.Second, sim.Second)
	if r.Failed() {
		t.Fatal(r.Reason)
	}
	var got []string
	for _, o := range faults.Counters(r.Stats) {
		got = append(got, o.Key)
	}
	want := []string{"crash", "restart", "pause", "isolate", "split", "halves", "bridge", "cut", "mend", "heal",
		"drop", "dup", "jitter", "clog", "spike", "skew", "lost", "duplicated"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("counters (-want +got):\n%s\n%v", diff, faults.Counters(r.Stats))
	}
}

func TestSwarmCountersMatchEnabledLanes(t *testing.T) {
	for seed := uint64(1); seed <= 10; seed++ {
		c := newCluster(t, seed, 3, 0, sim.DefaultNetwork)
		opts, err := faults.Install(c.w, faults.Options{Spec: "swarm", Servers: c.servers, Tolerates: 1, Safety: 60 * sim.Second})
		if err != nil {
			t.Fatal(err)
		}
		r := c.w.Run(60*sim.Second, sim.Second)
		counted := map[string]bool{}
		for _, o := range faults.Counters(r.Stats) {
			counted[o.Key] = true
		}
		lanesToCounter := map[string][]string{
			"fault.crash": {"crash"}, "fault.pause": {"pause"}, "fault.partition": {"isolate", "split", "halves", "bridge", "cut"},
			"fault.drop": {"drop", "lost"}, "fault.dup": {"dup", "duplicated"}, "fault.jitter": {"jitter"},
			"fault.clog": {"clog"}, "fault.spike": {"spike"}, "fault.skew": {"skew"},
		}
		for _, o := range opts {
			keys, ok := lanesToCounter[o.Key]
			if !ok {
				continue
			}
			on := o.Value != "off"
			hit := slices.ContainsFunc(keys, func(k string) bool { return counted[k] })
			if on != hit {
				t.Errorf("seed %d: %s is %q but counters %v", seed, o.Key, o.Value, faults.Counters(r.Stats))
			}
		}
	}
}

func isClient(name string) bool {
	var n int
	_, err := fmt.Sscanf(name, "c%d", &n)
	return err == nil
}
