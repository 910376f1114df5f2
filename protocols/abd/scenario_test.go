package abd

import (
	"testing"

	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/sim"
	"github.com/orrery-sim/orrery/simtest/scenario"
)

// abd-script is abd with scripted clients: scripts drive them with "submit cN
// read" and "submit cN write V", and they run those one at a time, in order.
func init() {
	p, _ := protocols.Lookup("abd")
	scripted := *p
	scripted.Name = "abd-script"
	scripted.Setup = func(w *sim.World, o protocols.Options) (*protocols.Instance, error) { return Setup(w, o, true) }
	protocols.Register(&scripted)
}

func TestScenarios(t *testing.T) { scenario.RunDir(t, "testdata", scenario.Options{}) }
