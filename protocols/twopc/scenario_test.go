package twopc_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/orrery-sim/orrery/protocols/twopc"
	"github.com/orrery-sim/orrery/simtest/scenario"
)

// "submit coord p1.x=1 p2.y=2" runs a transaction from outside; "state"
// shows the coordinator's unfinished transactions and each participant's
// prepared transactions and values.
var scenarioOptions = scenario.Options{
	Payload: func(_ *scenario.Env, words []string) (any, error) {
		var txn twopc.Txn
		for _, w := range words {
			k, v, ok := strings.Cut(w, "=")
			if _, owned := twopc.Owner(k); !ok || !owned {
				return nil, fmt.Errorf("bad write %q (want pN.KEY=VALUE)", w)
			}
			txn.Writes = append(txn.Writes, twopc.Write{Key: k, Value: v})
		}
		if len(txn.Writes) == 0 {
			return nil, fmt.Errorf("a transaction needs writes (pN.KEY=VALUE ...)")
		}
		return txn, nil
	},
}

func TestScenarios(t *testing.T) { scenario.RunDir(t, "testdata", scenarioOptions) }
