package faults_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/orrery-sim/orrery/faults"
	"github.com/orrery-sim/orrery/scheduler"
	"github.com/orrery-sim/orrery/sim"
	"github.com/orrery-sim/orrery/traces"
)

// changes records what a protocol's reconfiguration hook was handed.
type changes struct{ got []string }

func (c *changes) hook(w *sim.World, ch faults.Change) error {
	name := func(id sim.NodeID) string {
		if id == faults.NoNode {
			return "-"
		}
		return w.Name(id)
	}
	c.got = append(c.got, ch.Op.String()+" +"+name(ch.Add)+" -"+name(ch.Remove))
	return nil
}

// TestReconfigureThroughHook: a plan's reconfigurations reach the hook with the
// names resolved, in plan order, are traced and counted like any fault.
func TestReconfigureThroughHook(t *testing.T) {
	c := newCluster(t, 1, 5, 1, fifoNet)
	c.trace()
	rec := &changes{}
	_, err := faults.Install(c.w, faults.Options{
		Spec:    "at 100ms reconfigure replace n2 n4; at 200ms reconfigure add n5; at 300ms reconfigure remove n1",
		Servers: c.servers, Tolerates: 1, Safety: sim.Second, Reconfigure: rec.hook, Spares: c.servers[3:],
	})
	if err != nil {
		t.Fatal(err)
	}
	r := c.w.Run(sim.Second, 0)
	want := []string{"replace +n4 -n2", "add +n5 --", "remove +- -n1"}
	if diff := cmp.Diff(want, rec.got); diff != "" {
		t.Fatalf("hook saw (-want +got):\n%s", diff)
	}
	lines := c.lines(traces.KindFault)
	if len(lines) < 3 || lines[0] != "0.100000s fault: reconfigure replace n2 n4" {
		t.Fatalf("trace: %q", lines)
	}
	if !slices.Contains(faults.Counters(r.Stats), traces.Option{Key: "reconfigure", Value: "3"}) {
		t.Fatalf("counters %v, want reconfigure 3", faults.Counters(r.Stats))
	}
}

// TestReconfigureRefused: without a hook, or naming a client, a plan with a
// reconfiguration is an error before the run starts.
func TestReconfigureRefused(t *testing.T) {
	for _, tc := range []struct {
		spec string
		hook bool
		want string
	}{
		{"at 1s reconfigure add n3", false, "does not support reconfiguration"},
		{"at 1s reconfigure add c1", true, `"c1" is not a server`},
		{"at 1s reconfigure replace n1 n9", true, `"n9" is not a server`},
	} {
		c := newCluster(t, 1, 3, 1, fifoNet)
		s := faults.Options{Spec: tc.spec, Servers: c.servers, Tolerates: 1, Safety: sim.Second}
		if tc.hook {
			s.Reconfigure = (&changes{}).hook
		}
		if _, err := faults.Install(c.w, s); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want an error with %q", tc.spec, err, tc.want)
		}
	}
}

// drawnWith draws a swarm plan for 3 members and 2 spares, with or without a
// reconfiguration hook.
func drawnWith(seed uint64, spec string, hook bool) (faults.Plan, []sim.NodeID, *sim.World) {
	c := newClusterWith(scheduler.NewSeeded(seed), 5, 2, sim.DefaultNetwork)
	s := faults.Options{Spec: spec, Servers: c.servers, Tolerates: 1, Safety: 10 * sim.Second, Spares: c.servers[3:]}
	if hook {
		s.Reconfigure = (&changes{}).hook
	}
	return faults.DrawPlan(c.w, s), c.servers, c.w
}

// TestReconfigureLane: the lane is drawn only for a protocol with a hook and
// after every other lane, so the rest of the plan is the plan drawn without
// it; each drawn change is valid against the changes before it (only
// outsiders join, only members leave, at least 2*Tolerates+1 members stay);
// swarm mode turns the lane on for some seeds and off for others.
func TestReconfigureLane(t *testing.T) {
	on, changesDrawn := 0, 0
	for _, spec := range []string{"default", "swarm"} {
		for seed := uint64(1); seed <= 100; seed++ {
			with, servers, w := drawnWith(seed, spec, true)
			without, _, _ := drawnWith(seed, spec, false)
			others := slices.DeleteFunc(slices.Clone(with), func(e faults.Entry) bool { return e.Fault.Kind == faults.Reconfigure })
			if others.String() != without.String() {
				t.Fatalf("%s seed %d: the lane moved other faults:\n%s\n%s", spec, seed, others, without)
			}
			members := []string{w.Name(servers[0]), w.Name(servers[1]), w.Name(servers[2])}
			n := 0
			for _, e := range with {
				f := e.Fault
				if f.Kind != faults.Reconfigure {
					continue
				}
				n++
				joins, leaves := f.Node, ""
				if f.Change != faults.ChangeAdd {
					joins, leaves = f.To, f.Node
				}
				if leaves != "" {
					if !slices.Contains(members, leaves) {
						t.Fatalf("%s seed %d: %s removes a non-member (members %v)", spec, seed, f, members)
					}
					members = slices.DeleteFunc(members, func(m string) bool { return m == leaves })
				}
				if joins != "" {
					if slices.Contains(members, joins) {
						t.Fatalf("%s seed %d: %s adds a member (members %v)", spec, seed, f, members)
					}
					members = append(members, joins)
				}
				if len(members) < 3 {
					t.Fatalf("%s seed %d: %s leaves %d members", spec, seed, f, len(members))
				}
			}
			changesDrawn += n
			if n > 0 {
				on++
			}
			if back, err := faults.ParsePlan(with.String()); err != nil || back.String() != with.String() {
				t.Fatalf("%s seed %d: plan does not round-trip: %v", spec, seed, err)
			}
		}
	}
	if on < 100 || on > 190 || changesDrawn < 300 {
		t.Fatalf("lane on in %d of 200 plans, %d changes: want default always on and swarm about half", on, changesDrawn)
	}
}

// TestReconfigureBanner: with a hook, the banner has the lane's line (before
// the plan's); without one, the banner is what it always was.
func TestReconfigureBanner(t *testing.T) {
	keys := func(hook bool) []string {
		c := newClusterWith(scheduler.NewSeeded(2), 5, 1, sim.DefaultNetwork)
		s := faults.Options{Spec: "default", Servers: c.servers, Tolerates: 1, Safety: sim.Second, Spares: c.servers[3:]}
		if hook {
			s.Reconfigure = (&changes{}).hook
		}
		opts, err := faults.Install(c.w, s)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, o := range opts {
			out = append(out, o.Key)
			if o.Key == "fault.reconf" && o.Value != "every ~4s, add, remove or replace one server (spares join); spares n4 n5" {
				t.Errorf("fault.reconf: %s", o.Value)
			}
		}
		return out
	}
	with, without := keys(true), keys(false)
	want := append(slices.Clone(without[:len(without)-1]), "fault.reconf", "fault.plan")
	if d := cmp.Diff(want, with); d != "" {
		t.Fatalf("banner keys (-want +got):\n%s", d)
	}
}
