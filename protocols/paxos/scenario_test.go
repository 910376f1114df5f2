package paxos_test

import (
	"errors"
	"fmt"
	"strconv"
	"testing"

	"github.com/orrery-sim/orrery/protocols/paxos"
	"github.com/orrery-sim/orrery/simtest/scenario"
)

// The Paxos commands: "submit NODE OP..." sends an operation (get k, exists k,
// update k v, delete k, count, print) to a server from outside, "kv NODE"
// prints a server's state and applied store, and "accepted NODE [FROM]" the
// values its acceptor accepted from slot FROM (default 1) on.
var scenarioOptions = scenario.Options{
	Payload: func(_ *scenario.Env, words []string) (any, error) {
		op, ok := paxos.ParseOp(words)
		if !ok {
			return nil, fmt.Errorf("bad operation %q (want get k, exists k, update k v, delete k, count or print)", words)
		}
		return op, nil
	},
	Commands: map[string]scenario.Command{
		"kv": func(e *scenario.Env, args []string) (string, error) {
			if len(args) != 1 {
				return "", errors.New("usage: kv NODE")
			}
			id, err := e.Node(args[0])
			if err != nil {
				return "", err
			}
			return paxos.ServerState(e.W, id), nil
		},
		"accepted": func(e *scenario.Env, args []string) (string, error) {
			if len(args) < 1 || len(args) > 2 {
				return "", errors.New("usage: accepted NODE [FROM]")
			}
			id, err := e.Node(args[0])
			if err != nil {
				return "", err
			}
			from := uint64(1)
			if len(args) == 2 {
				if from, err = strconv.ParseUint(args[1], 10, 64); err != nil {
					return "", fmt.Errorf("accepted: slot %q is not a number", args[1])
				}
			}
			return paxos.AcceptedOf(e.W, id, from), nil
		},
	},
}

func TestScenarios(t *testing.T) { scenario.RunDir(t, "testdata", scenarioOptions) }
