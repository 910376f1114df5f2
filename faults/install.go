package faults

import (
	"fmt"

	"github.com/orrery-sim/orrery/sim"
	"github.com/orrery-sim/orrery/traces"
)

// Setup is what the nemesis needs to know about one run.
type Setup struct {
	Spec      string       // "none", "default", "swarm", an inline plan, or @file
	Servers   []sim.NodeID // agents whose boxes may be faulted
	Tolerates int          // boxes that may be down at once
	Safety    sim.Time     // faults are injected in [0, Safety)
}

// Install schedules the faults described by s.Spec into w, registers the liveness
// hook that heals them, and returns the derived options for the run banner.
func Install(w *sim.World, s Setup) ([]traces.Option, error) {
	switch s.Spec {
	case "", "none":
		return []traces.Option{{Key: "faults", Value: "none"}}, nil
	}
	return nil, fmt.Errorf("faults %q: not supported yet (use none)", s.Spec)
}
