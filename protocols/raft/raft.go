package raft

import (
	"cmp"
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
		Skips:    true,
		Summary:  "Raft with pre-vote, snapshots, client sessions, ReadIndex and membership changes, serving a linearizable KV store (params prevote, checkquorum, spares)",
		Nodes:    5,
		MinNodes: 1,
		MaxNodes: 9,
		Clients:  3,
		Bugs:     bugs,
		Params:   params,
		Safety:   10 * sim.Second,
		Liveness: 10 * sim.Second,
		Setup:    Setup(DefaultConfig),
		Explore:  exploreMembership,
	})
}

// Protocol parameters (protocols.Options.Params).
const (
	ParamPreVote     = "prevote"
	ParamCheckQuorum = "checkquorum"
	// ParamSnapshotEvery sets Config.SnapshotEvery: applied entries between
	// snapshots. The shrinker lowers it.
	ParamSnapshotEvery = "snapshot-every"
	// ParamHeartbeatMs, ParamElectionTimeoutMs and ParamClientRetryMs set
	// Config.Heartbeat, ElectionTimeout and ClientRetry. The shrinker lowers
	// the election timeout and the client retry: a story that needs several
	// elections, or a client giving up on a server, then passes in fewer
	// heartbeat rounds. It leaves the heartbeat alone, since a shorter one
	// only adds rounds.
	ParamHeartbeatMs       = "heartbeat-ms"
	ParamElectionTimeoutMs = "election-timeout-ms"
	ParamClientRetryMs     = "client-retry-ms"
)

var params = []protocols.Param{
	{Name: ParamPreVote, Kind: protocols.ParamBool, Default: strconv.FormatBool(DefaultConfig.PreVote),
		Summary: "campaign only after a pre-vote round shows the candidate could win (thesis §9.6)"},
	{Name: ParamCheckQuorum, Kind: protocols.ParamBool, Default: strconv.FormatBool(DefaultConfig.CheckQuorum),
		Summary: "a leader that has not heard from a majority for an election timeout steps down"},
	{Name: ParamSpares, Kind: protocols.ParamInt, Min: 0, Max: sparesMax,
		Summary: "servers outside the first configuration, which the nemesis may add (reconfigure faults); default 0, or 2 with a membership bug"},
	{Name: ParamSnapshotEvery, Kind: protocols.ParamInt, Default: strconv.Itoa(snapshotEveryEntries), Min: 1, Max: snapshotEveryMax,
		Summary: "applied entries between snapshots (the shrinker lowers it)", Shrink: true},
	{Name: ParamHeartbeatMs, Kind: protocols.ParamInt, Default: strconv.Itoa(int(heartbeatIntervalDefault / sim.Millisecond)), Min: 1, Max: timerMsMax,
		Summary: "a leader's heartbeat interval, less than election-timeout-ms (the shrinker raises it)", Raise: true},
	{Name: ParamElectionTimeoutMs, Kind: protocols.ParamInt, Default: strconv.Itoa(int(electionTimeoutDefault / sim.Millisecond)), Min: 2, Max: timerMsMax,
		Summary: "least wait for a leader before campaigning (each wait drawn up to twice it); more than heartbeat-ms (the shrinker lowers it)", Shrink: true},
	{Name: ParamClientRetryMs, Kind: protocols.ParamInt, Default: strconv.Itoa(int(kv.DefaultTiming.RequestWait / sim.Millisecond)), Min: 1, Max: timerMsMax,
		Summary: "a client's wait for an answer before it tries another server (the shrinker lowers it)", Shrink: true},
}

// configure returns cfg with o's parameters and bug applied.
func configure(cfg Config, o protocols.Options) (Config, error) {
	var err error
	if cfg.PreVote, err = protocols.BoolParam(o.Params, ParamPreVote, cfg.PreVote); err != nil {
		return cfg, err
	}
	if cfg.CheckQuorum, err = protocols.BoolParam(o.Params, ParamCheckQuorum, cfg.CheckQuorum); err != nil {
		return cfg, err
	}
	if cfg.SnapshotEvery, err = protocols.IntParam(o.Params, ParamSnapshotEvery, cmp.Or(cfg.SnapshotEvery, snapshotEveryEntries)); err != nil {
		return cfg, err
	}
	if err = configureTimers(&cfg, o.Params); err != nil {
		return cfg, err
	}
	if o.Bug != "" {
		cfg.Bug = o.Bug
	}
	return cfg, nil
}

// configureTimers sets cfg's timers from params, each defaulting to cfg's own
// setting or, if that is zero, the protocol's default.
func configureTimers(cfg *Config, params map[string]string) error {
	var err error
	if cfg.Heartbeat, err = protocols.MillisParam(params, ParamHeartbeatMs, cmp.Or(cfg.Heartbeat, heartbeatIntervalDefault)); err != nil {
		return err
	}
	if cfg.ElectionTimeout, err = protocols.MillisParam(params, ParamElectionTimeoutMs, cmp.Or(cfg.ElectionTimeout, electionTimeoutDefault)); err != nil {
		return err
	}
	if cfg.ClientRetry, err = protocols.MillisParam(params, ParamClientRetryMs, cmp.Or(cfg.ClientRetry, kv.DefaultTiming.RequestWait)); err != nil {
		return err
	}
	if cfg.Heartbeat >= cfg.ElectionTimeout {
		return fmt.Errorf("%s (%v) must be less than %s (%v)", ParamHeartbeatMs, cfg.Heartbeat, ParamElectionTimeoutMs, cfg.ElectionTimeout)
	}
	return nil
}

// effectiveParams are cfg's settings as parameters, for the banner.
func effectiveParams(cfg Config, spares int) map[string]string {
	return map[string]string{ParamPreVote: strconv.FormatBool(cfg.PreVote), ParamCheckQuorum: strconv.FormatBool(cfg.CheckQuorum),
		ParamSpares: strconv.Itoa(spares)}
}

// Setup returns a protocols.Protocol Setup for cfg; the parameters
// (ParamPreVote, ParamCheckQuorum, ParamSnapshotEvery) and Options.Bug
// override cfg when set.
// Servers are n1..nN (ids 0..N-1), the first configuration, then S spares
// outside it (-param spares=S), each on its own box; clients c1..cK follow,
// on boxes of their own that the nemesis leaves alone. With spares the admin
// follows the clients and the nemesis may reconfigure (faults.Reconfigurer);
// without, the configuration is fixed.
func Setup(cfg Config) func(w *sim.World, o protocols.Options) (*protocols.Instance, error) {
	return func(w *sim.World, o protocols.Options) (*protocols.Instance, error) {
		if o.Nodes < 1 {
			return nil, fmt.Errorf("raft needs at least one server, got %d", o.Nodes)
		}
		cfg, err := configure(cfg, o) // this run's copy: the Setup is shared by every run
		if err != nil {
			return nil, err
		}
		spares, err := sparesParam(o.Params, cfg.Bug)
		if err != nil {
			return nil, err
		}
		servers := make([]sim.NodeID, o.Nodes+spares)
		for i := range servers {
			servers[i] = sim.NodeID(i)
		}
		initial := Membership{Voters: servers[:o.Nodes:o.Nodes]}
		for i := range servers {
			id := w.AddAgent(sim.AgentSpec{Name: fmt.Sprintf("n%d", i+1), New: func() sim.Agent { return newNode(cfg, servers, initial) }})
			if id != servers[i] {
				return nil, fmt.Errorf("raft must be set up in an empty world (server %d got id %d)", i, id)
			}
		}
		for i := 0; i < o.Clients; i++ {
			w.AddAgent(sim.AgentSpec{Name: fmt.Sprintf("c%d", i+1), New: func() sim.Agent { return newClient(servers, o.Ops, o.Skip, cfg.ClientRetry) }})
		}
		raftsafety.New(servers, viewOf).Register(w)
		addLeaderChecks(w, servers)
		addProperties(w, servers)
		w.AddTransition(leaderMatchCheck) // judged in exploration too
		minority := (o.Nodes - 1) / 2
		inst := &protocols.Instance{Servers: servers, Tolerates: minority, DownForGoodMax: minority, Describe: describeServer,
			Params: effectiveParams(cfg, spares)}
		if spares > 0 {
			id := w.AddAgent(sim.AgentSpec{Name: adminClientName, New: func() sim.Agent { return newAdmin(servers, initial) }})
			inst.Reconfigure, inst.Spares = reconfigurer(id), servers[o.Nodes:]
		}
		return inst, nil
	}
}

// addProperties adds the client-facing properties: write-after-heal, read
// freshness and exactly-once as operations complete, and linearizability of
// the history.
func addProperties(w *sim.World, servers []sim.NodeID) {
	kv.WriteAfterHeal(w, servers, kv.IsWrite, describeServer)
	kv.AddHistoryChecks(w, kv.AccessOf)
	w.AddProperty(kv.Linearizable())
}
