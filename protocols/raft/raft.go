package raft

import (
	"context"
	"fmt"
	"strings"

	lin "github.com/orrery-sim/orrery/checkers/linearizability"
	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/sim"
)

func init() {
	protocols.Register(&protocols.Protocol{
		Name:     "raft",
		Summary:  "Raft with pre-vote, snapshots, client sessions and ReadIndex, serving a linearizable KV store",
		Nodes:    5,
		MinNodes: 1,
		MaxNodes: 9,
		Clients:  3,
		Bugs:     bugs,
		Safety:   10 * sim.Second,
		Liveness: 10 * sim.Second,
		Setup:    Setup(DefaultConfig),
		Explore:  exploreSpec,
	})
}

// Setup returns a protocols.Protocol Setup for cfg; Options.Bug overrides
// cfg.Bug when set. Servers are n1..nN (ids 0..N-1), each on its own box;
// clients c1..cK follow, on boxes of their own that the nemesis leaves alone.
func Setup(cfg Config) func(w *sim.World, o protocols.Options) (*protocols.Instance, error) {
	return func(w *sim.World, o protocols.Options) (*protocols.Instance, error) {
		if o.Nodes < 1 {
			return nil, fmt.Errorf("raft needs at least one server, got %d", o.Nodes)
		}
		cfg := cfg // this run's copy: the Setup is shared by every run
		if o.Bug != "" {
			cfg.Bug = o.Bug
		}
		servers := make([]sim.NodeID, o.Nodes)
		for i := range servers {
			servers[i] = sim.NodeID(i)
		}
		for i := range servers {
			id := w.AddAgent(sim.AgentSpec{Name: fmt.Sprintf("n%d", i+1), New: func() sim.Agent { return newNode(cfg, servers) }})
			if id != servers[i] {
				return nil, fmt.Errorf("raft must be set up in an empty world (server %d got id %d)", i, id)
			}
		}
		for i := 0; i < o.Clients; i++ {
			w.AddAgent(sim.AgentSpec{Name: fmt.Sprintf("c%d", i+1), New: func() sim.Agent { return newClient(servers, o.Ops) }})
		}
		addProperties(w, newTracker(len(servers)))
		w.AddTransition(leaderMatchCheck) // judged in exploration too
		return &protocols.Instance{Servers: servers, Tolerates: (len(servers) - 1) / 2, Describe: describeServer}, nil
	}
}

func addProperties(w *sim.World, t *tracker) {
	for _, p := range alwaysProps {
		w.AddProperty(sim.Property{Name: p, Kind: sim.Always, Check: func(w *sim.World) error { return t.check(w, p) }})
	}
	w.AddProperty(sim.Property{Name: PropLeaderElected, Kind: sim.Sometimes, Check: func(w *sim.World) error {
		if t.check(w, PropElectionSafety); !t.sawLeader {
			return fmt.Errorf("no leader yet")
		}
		return nil
	}})
	w.OnLiveness(func(w *sim.World) { t.liveAt, t.liveFrom = w.Now(), len(w.History().Ops) })
	w.AddProperty(sim.Property{Name: PropWriteAfterHeal, Kind: sim.Eventually, Check: t.writeAfterHeal})
	w.AddProperty(sim.Property{Name: PropLinearizable, Kind: sim.AtEnd, Check: checkLinearizable})
}

// checkLinearizable checks the client history against the KV model. Operations
// a client gave up on stay open: they may have taken effect or not. There is
// no timeout: a verdict that depended on the wall clock would break
// determinism.
func checkLinearizable(w *sim.World) error {
	ops := w.History().Ops
	history := make([]lin.Operation[lin.KVInput, lin.KVOutput], 0, len(ops))
	for _, op := range ops {
		in, ok := op.Input.(Op)
		if !ok {
			continue
		}
		h := lin.Operation[lin.KVInput, lin.KVOutput]{ClientID: int(op.Client), Input: kvInput(in), Call: int64(op.Call), Open: !op.Done}
		if op.Done {
			out, ok := op.Output.(Result)
			if !ok {
				continue // a request refused by a follower (scenarios): it had no effect
			}
			h.Output, h.Return = kvOutput(in, out), int64(op.Return)
		}
		history = append(history, h)
	}
	r := lin.Check(context.Background(), lin.KVModel(), history, lin.Options{Workers: 1})
	if r.Verdict == lin.Ok {
		return nil
	}
	return fmt.Errorf("%d operations: %s", len(history), strings.TrimSpace(r.String()))
}

var kvOps = [opKindCount]lin.KVOp{
	OpGet: lin.KVGet, OpPut: lin.KVPut, OpDelete: lin.KVDelete, OpExists: lin.KVExists,
	OpCount: lin.KVCount, OpAppend: lin.KVAppend, OpCAS: lin.KVCAS,
}

func kvInput(o Op) lin.KVInput {
	return lin.KVInput{Op: kvOps[o.Kind], Key: o.Key, Value: o.Value, Expected: o.Expect}
}

func kvOutput(o Op, r Result) lin.KVOutput {
	switch o.Kind {
	case OpExists:
		return lin.KVOutput{Ok: r.Found}
	case OpCAS:
		return lin.KVOutput{Ok: r.OK}
	}
	return lin.KVOutput{Value: r.Value, Count: r.Count}
}
