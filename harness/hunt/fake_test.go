package hunt_test

import "github.com/orrery-sim/orrery/sim"

// fake is an agent that summarizes itself as its string.
type fake string

func (fake) Start(*sim.Context)                            {}
func (fake) Receive(*sim.Context, sim.NodeID, sim.Message) {}
func (fake) Timer(*sim.Context, string)                    {}
func (f fake) Summary() string                             { return string(f) }
