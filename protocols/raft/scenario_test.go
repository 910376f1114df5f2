package raft_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/orrery-sim/orrery/protocols/raft"
	"github.com/orrery-sim/orrery/sim"
	"github.com/orrery-sim/orrery/simtest/scenario"
)

// Raft's scenario commands:
//
//	submit NODE OP KEY [VALUE [EXPECT]]  a client request, e.g. "submit n1 put x 1", "submit n2 cas x 1 2"
//	log NODE                             the node's log after its snapshot
//	kv NODE                              the node's key-value state
//	leaders                              who leads, by term (a stale leader shows too)
//	crash-leader / isolate-leader        crash, or cut off from the other servers, the newest leader
var scenarioOptions = scenario.Options{
	Payload: payload,
	Commands: map[string]scenario.Command{
		"log": func(e *scenario.Env, args []string) (string, error) {
			return withServer(e, args, raft.DescribeLog)
		},
		"kv": func(e *scenario.Env, args []string) (string, error) {
			return withServer(e, args, raft.DescribeKV)
		},
		"leaders": func(e *scenario.Env, args []string) (string, error) {
			var out []string
			for _, id := range e.Inst.Servers {
				if term, ok := raft.Leads(e.W, id); ok {
					out = append(out, fmt.Sprintf("%s leads term %d", e.W.Name(id), term))
				}
			}
			if len(out) == 0 {
				return "no leader", nil
			}
			return strings.Join(out, "\n"), nil
		},
		"crash-leader":   func(e *scenario.Env, args []string) (string, error) { return onLeader(e, "crash") },
		"isolate-leader": func(e *scenario.Env, args []string) (string, error) { return onLeader(e, "isolate") },
	},
}

func withServer(e *scenario.Env, args []string, fn func(*sim.World, sim.NodeID) string) (string, error) {
	if len(args) != 1 {
		return "", errors.New("usage: log NODE / kv NODE")
	}
	id, err := e.Node(args[0])
	if err != nil {
		return "", err
	}
	return fn(e.W, id), nil
}

// onLeader applies a fault to the leader of the highest term.
func onLeader(e *scenario.Env, fault string) (string, error) {
	best, bestTerm := sim.NodeID(-1), uint64(0)
	for _, id := range e.Inst.Servers {
		if term, ok := raft.Leads(e.W, id); ok && term > bestTerm {
			best, bestTerm = id, term
		}
	}
	if best < 0 {
		return "", errors.New("no leader")
	}
	return e.Exec(fault + " " + e.W.Name(best))
}

var opNames = map[string]raft.OpKind{
	"get": raft.OpGet, "put": raft.OpPut, "delete": raft.OpDelete, "exists": raft.OpExists,
	"count": raft.OpCount, "append": raft.OpAppend, "cas": raft.OpCAS,
}

func payload(_ *scenario.Env, words []string) (any, error) {
	if len(words) == 0 {
		return nil, errors.New("usage: submit NODE OP [KEY [VALUE [EXPECT]]]")
	}
	kind, ok := opNames[words[0]]
	if !ok {
		return nil, fmt.Errorf("unknown operation %q", words[0])
	}
	op := raft.Op{Kind: kind}
	if len(words) > 1 {
		op.Key = words[1]
	}
	switch {
	case kind == raft.OpCAS && len(words) == 4:
		op.Expect, op.Value = words[2], words[3]
	case len(words) == 3:
		op.Value = words[2]
	}
	return op, nil
}

func TestScenarios(t *testing.T) { scenario.RunDir(t, "testdata", scenarioOptions) }
