package ovid

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/sim"
	"github.com/orrery-sim/orrery/simtest/scenario"
)

// Scripts start the clusters of testdata/*.cluster.json as protocols named
// ovid-<name> (start protocol=ovid-kv), registered for the tests only.
func init() {
	paths, _ := filepath.Glob(filepath.Join("testdata", "*.cluster.json"))
	for _, p := range paths {
		text, err := os.ReadFile(p)
		if err != nil {
			panic(err)
		}
		base, _ := protocols.Lookup("ovid")
		named := *base
		named.Name = "ovid-" + filepath.Base(p)[:len(filepath.Base(p))-len(".cluster.json")]
		named.Setup = func(w *sim.World, o protocols.Options) (*protocols.Instance, error) {
			o.Params = map[string]string{ParamCluster: string(text)}
			return Setup(w, o)
		}
		protocols.Register(&named)
	}
}

func TestScenarios(t *testing.T) { scenario.RunDir(t, "testdata", scenario.Options{}) }
