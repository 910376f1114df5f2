package faults

import (
	"strings"

	"github.com/orrery-sim/orrery/sim"
	"github.com/orrery-sim/orrery/traces"
)

// Options are what the nemesis needs to know about one run.
type Options struct {
	// Spec is "none", "default" (a modest fixed-rate nemesis), "swarm" (the seed
	// also draws which faults run and how often) or the text of a plan. Callers
	// read plan files and pass their text, so that the trace header holds it.
	Spec      string
	Servers   []sim.NodeID // agents whose boxes may be faulted; never clients
	Tolerates int          // server boxes that may be down (crashed or paused) at once
	Safety    sim.Time     // the nemesis injects faults in [0, Safety)
	// Reconfigure, when set, is the protocol's reconfiguration hook: plans may
	// then hold reconfigure faults, and the nemesis draws them (a lane of its
	// own). Spares are the servers outside the first configuration; they and
	// removed servers are the ones that may join.
	Reconfigure Reconfigurer
	Spares      []sim.NodeID
	// DownForGood are servers whose boxes stay down for good in the
	// liveness phase (crashed then, if up, and never restarted) while the
	// rest must still make progress; nil: every box comes back. The harness
	// draws them (harness.Config.SwarmCluster), so a written plan keeps them.
	DownForGood []sim.NodeID
}

// Install schedules the faults described by s.Spec into w, registers the liveness
// hook that heals them (Injector.HealAll), and returns the derived options for
// the run banner. A drawn plan stays within s.Tolerates; a written plan is
// applied as written. Unknown names and malformed plans are errors.
func Install(w *sim.World, s Options) ([]traces.Option, error) {
	spec := strings.TrimSpace(s.Spec)
	var plan Plan
	var opts []traces.Option
	switch spec {
	case "", "none":
		if len(s.DownForGood) == 0 {
			return []traces.Option{{Key: "faults", Value: "none"}}, nil
		}
		opts = []traces.Option{{Key: "faults", Value: "none"}}
	case "default", "swarm":
		cfg := defaultSettings()
		if spec == "swarm" {
			cfg = drawer{w}.swarmSettings()
		}
		var st planStats
		var rcfg settings
		plan, st, rcfg = drawPlan(w, s, cfg, spec == "swarm")
		opts = nemesisOptions(spec, cfg, st, s, topologyOf(w, s.Servers))
		if s.Reconfigure != nil { // its line goes before the plan's
			opts = append(opts[:len(opts)-1], reconfigureOption(w, s, rcfg), opts[len(opts)-1])
		}
	default:
		var err error
		if plan, err = ParsePlan(spec); err != nil {
			return nil, err
		}
		opts = []traces.Option{{Key: "faults", Value: "plan"}, {Key: "fault.plan", Value: plan.String()}}
	}
	down := downForGoodBoxes(w, s.DownForGood)
	if len(down) > 0 {
		opts = append(opts, downForGoodOption(w, s.DownForGood))
	}
	in := NewInjector(w, s.Servers)
	in.SetReconfigurer(s.Reconfigure)
	if err := in.Schedule(plan, w.Now()); err != nil {
		return nil, err
	}
	w.OnLiveness(func(*sim.World) { in.HealAllBut(down) })
	return opts, nil
}

// DrawPlan draws the plan that Install would schedule for a "default" or "swarm"
// spec, without installing it. It draws through w's chooser, so call it on a
// world that will not run (or instead of Install).
func DrawPlan(w *sim.World, s Options) Plan {
	cfg := defaultSettings()
	swarm := strings.TrimSpace(s.Spec) == "swarm"
	if swarm {
		cfg = drawer{w}.swarmSettings()
	}
	plan, _, _ := drawPlan(w, s, cfg, swarm)
	return plan
}
