package etcdraft

import (
	"fmt"
	"maps"
	"slices"

	"github.com/orrery-sim/orrery/examples/etcdraft/adapter"
	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/sim"
	"github.com/orrery-sim/orrery/workload/kv"
	"go.etcd.io/raft/v3"
)

// Protocol is etcd's raft (go.etcd.io/raft/v3) serving a key-value store: each
// server a RawNode driven by the adapter, clients seeking the leader. Bugs
// run a patched copy of etcd's raft package instead (internal/raftbug).
var Protocol = &protocols.Protocol{
	Name:     "etcdraft",
	Skips:    true,
	Summary:  "etcd-io/raft v3.6.0 (RawNode) serving a KV store: 5 servers, 3 clients",
	Nodes:    5,
	MinNodes: 1,
	MaxNodes: 9,
	Clients:  3,
	Bugs: []protocols.Bug{
		{Name: "vote-ignores-log", Summary: "votes granted without the log up-to-date check (Raft §5.4.1), in a copy of etcd's raft"},
	},
	Params: []protocols.Param{{Name: "rand", Kind: protocols.ParamText, Default: "sim",
		Summary: "sim: etcd's own randomness is drawn through the scheduler (reproducible); system: from the operating system (not reproducible, to see why the redirect matters)"}},
	Safety:   10 * sim.Second,
	Liveness: 10 * sim.Second,
	Setup:    setup,
}

// Timing: a tick every 50ms, heartbeats every tick, elections after 6 to 11
// ticks (300ms..550ms), close to the built-in raft protocol's 300ms..600ms.
const (
	tickInterval   = 50 * sim.Millisecond
	snapshotEvery  = 64 // entries applied between snapshots
	catchUpEntries = 8  // entries kept before a snapshot
)

func setup(w *sim.World, o protocols.Options) (*protocols.Instance, error) {
	cfg := &adapter.Config{
		Tick: tickInterval,
		Raft: raft.Config{
			ElectionTick: 6, HeartbeatTick: 1, CheckQuorum: true, PreVote: true,
			MaxSizePerMsg: 1 << 20, MaxInflightMsgs: 256,
		},
		SnapshotEntries: snapshotEvery, CatchUpEntries: catchUpEntries,
	}
	if o.Bug != "" {
		cfg.NewRawNode = patchedRawNode(o.Bug)
	}
	for _, k := range slices.Sorted(maps.Keys(o.Params)) {
		if v := o.Params[k]; k != "rand" || (v != "system" && v != "sim") {
			return nil, fmt.Errorf("etcdraft has one parameter, rand=sim|system; got %s=%s", k, v)
		}
		cfg.SystemRandom = o.Params[k] == "system"
	}
	for i := range o.Nodes {
		cfg.Peers = append(cfg.Peers, sim.NodeID(i))
	}
	for i := range o.Nodes {
		id := w.AddAgent(sim.AgentSpec{Name: fmt.Sprintf("n%d", i+1), New: func() sim.Agent {
			return adapter.New(cfg, uint64(i+1), newStore())
		}})
		if id != cfg.Peers[i] {
			return nil, fmt.Errorf("etcdraft must be set up in an empty world (server %d got id %d)", i, id)
		}
	}
	for i := range o.Clients {
		w.AddAgent(sim.AgentSpec{Name: fmt.Sprintf("c%d", i+1), New: func() sim.Agent {
			return newClient(cfg.Peers, o.Ops, o.Skip)
		}})
	}
	adapter.SafetyChecker(cfg).Register(w)
	kv.WriteAfterHeal(w, cfg.Peers, kv.IsWrite, describe)
	w.AddProperty(kv.Linearizable())
	return &protocols.Instance{Servers: cfg.Peers, Tolerates: (o.Nodes - 1) / 2, Describe: describe}, nil
}

func describe(w *sim.World, id sim.NodeID) string {
	if a := w.Agent(id); a != nil {
		return sim.Describe(a)
	}
	return "down"
}
