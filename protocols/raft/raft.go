package raft

import (
	"fmt"
	"strconv"

	"github.com/orrery-sim/orrery/checkers/raftsafety"
	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/sim"
	"github.com/orrery-sim/orrery/workload/kv"
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
		// The shrinker lowers the snapshot interval, so that a failure that
		// needs a snapshot needs fewer entries.
		Constants: []protocols.Constant{{Param: ParamSnapshotEvery, Default: snapshotEveryEntries, Min: 1}},
	})
}

// ParamSnapshotEvery is the parameter that sets Config.SnapshotEvery
// (-param snapshot-every=N): applied entries between snapshots.
const ParamSnapshotEvery = "snapshot-every"

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
		if v, ok := o.Params[ParamSnapshotEvery]; ok {
			every, err := strconv.Atoi(v)
			if err != nil || every < 1 {
				return nil, fmt.Errorf("raft: -param %s=%q: want a whole number of entries, at least 1", ParamSnapshotEvery, v)
			}
			cfg.SnapshotEvery = every
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
		raftsafety.New(servers, viewOf).Register(w)
		addProperties(w, servers)
		return &protocols.Instance{Servers: servers, Tolerates: (len(servers) - 1) / 2, Describe: describeServer}, nil
	}
}

// addProperties adds the client-facing properties: write-after-heal and
// linearizability of the history.
func addProperties(w *sim.World, servers []sim.NodeID) {
	kv.WriteAfterHeal(w, servers, kv.IsWrite, describeServer)
	w.AddProperty(kv.Linearizable())
}
