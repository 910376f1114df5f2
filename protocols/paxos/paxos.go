package paxos

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/sim"
	"github.com/orrery-sim/orrery/workload/kv"
)

// Protocol parameters (protocols.Options.Params).
const (
	ParamQ1 = "q1" // phase-1 (prepare) quorum size
	ParamQ2 = "q2" // phase-2 (accept) quorum size
	// ParamHeartbeatMs, ParamElectionTimeoutMs and ParamClientRetryMs set the
	// timers. The shrinker lowers the election timeout and the client retry:
	// a story that needs several elections, or a client giving up on a
	// server, then passes in fewer heartbeat rounds. It leaves the heartbeat
	// alone, since a shorter one only adds rounds.
	ParamHeartbeatMs       = "heartbeat-ms"
	ParamElectionTimeoutMs = "election-timeout-ms"
	ParamClientRetryMs     = "client-retry-ms"
)

func init() {
	protocols.Register(&protocols.Protocol{
		Name:     "paxos",
		Skips:    true,
		Summary:  "Multi-Paxos with a distinguished leader and flexible quorums (params q1, q2), serving a KV store",
		Nodes:    5,
		MinNodes: 1,
		MaxNodes: 9,
		Clients:  3,
		Bugs:     bugs,
		Params:   declared,
		Safety:   10 * sim.Second,
		Liveness: 10 * sim.Second,
		Setup:    setup,
		Explore:  exploreSpec,
	})
}

// declared are the protocol's parameters.
var declared = []protocols.Param{
	{Name: ParamQ1, Kind: protocols.ParamInt, Min: 1, Max: serversMax, PinsNodes: true,
		Summary: "phase-1 (prepare) quorum size; default N - q2 + 1, the smallest that meets every phase-2 quorum"},
	{Name: ParamQ2, Kind: protocols.ParamInt, Min: 1, Max: serversMax, PinsNodes: true,
		Summary: "phase-2 (accept) quorum size; default a majority, or N - q1 + 1 when q1 is given"},
	{Name: ParamHeartbeatMs, Kind: protocols.ParamInt, Default: strconv.Itoa(int(tickIntervalDefault / sim.Millisecond)), Min: 1, Max: timerMsMax,
		Summary: "a leader's heartbeat and retransmission interval, less than election-timeout-ms (the shrinker raises it)", Raise: true},
	{Name: ParamElectionTimeoutMs, Kind: protocols.ParamInt, Default: strconv.Itoa(int(electionTimeoutDefault / sim.Millisecond)), Min: 2, Max: timerMsMax,
		Summary: "least wait for a leader before campaigning (each wait drawn up to twice it); more than heartbeat-ms (the shrinker lowers it)", Shrink: true},
	{Name: ParamClientRetryMs, Kind: protocols.ParamInt, Default: strconv.Itoa(int(clientTiming.RequestWait / sim.Millisecond)), Min: 1, Max: timerMsMax,
		Summary: "a client's wait for an answer before it tries another server (the shrinker lowers it)", Shrink: true},
}

// paramNames lists the declared parameters.
func paramNames() string {
	names := make([]string, len(declared))
	for i, d := range declared {
		names[i] = d.Name
	}
	return strings.Join(names, ", ")
}

// timers reads the timer parameters into cfg.
func (cfg *config) timers(params map[string]string) (retry sim.Time, err error) {
	if cfg.tick, err = protocols.MillisParam(params, ParamHeartbeatMs, tickIntervalDefault); err != nil {
		return 0, err
	}
	if cfg.electionTimeout, err = protocols.MillisParam(params, ParamElectionTimeoutMs, electionTimeoutDefault); err != nil {
		return 0, err
	}
	if cfg.tick >= cfg.electionTimeout {
		return 0, fmt.Errorf("%s (%v) must be less than %s (%v)", ParamHeartbeatMs, cfg.tick, ParamElectionTimeoutMs, cfg.electionTimeout)
	}
	return protocols.MillisParam(params, ParamClientRetryMs, clientTiming.RequestWait)
}

// Quorums returns the phase-1 and phase-2 quorum sizes for n servers and the
// given parameters. Q1 + Q2 must exceed N. A quorum not given is the
// smallest that meets the other: with neither given, Q2 is a majority and Q1
// is N - Q2 + 1; with only Q1 given, Q2 is N - Q1 + 1. The
// nonintersecting-quorums bug lets them not meet, and its defaults are one
// smaller.
func Quorums(n int, params map[string]string, bug string) (q1, q2 int, err error) {
	for _, k := range slices.Sorted(maps.Keys(params)) {
		if !slices.ContainsFunc(declared, func(d protocols.Param) bool { return d.Name == k }) {
			return 0, 0, fmt.Errorf("unknown parameter %q (paxos knows %s)", k, paramNames())
		}
	}
	broken := bug == BugNonintersectingQuorums
	meeting := func(other int) int { // the smallest quorum that meets every quorum of size other
		if broken {
			return max(1, n-other)
		}
		return n - other + 1
	}
	_, q1Given := params[ParamQ1]
	_, q2Given := params[ParamQ2]
	if q1Given && !q2Given {
		if q1, err = param(params, ParamQ1, 0); err != nil {
			return 0, 0, err
		}
		q2 = meeting(q1)
	} else {
		if q2, err = param(params, ParamQ2, n/2+1); err != nil {
			return 0, 0, err
		}
		if q1, err = param(params, ParamQ1, meeting(q2)); err != nil {
			return 0, 0, err
		}
	}
	switch {
	case q1 < 1 || q1 > n || q2 < 1 || q2 > n:
		return 0, 0, fmt.Errorf("quorums q1=%d q2=%d: each must be between 1 and the %d servers", q1, q2, n)
	case q1+q2 <= n && !broken:
		return 0, 0, fmt.Errorf("quorums q1=%d q2=%d do not intersect: q1 + q2 must exceed the %d servers", q1, q2, n)
	}
	return q1, q2, nil
}

// param reads an integer parameter, def when it is not given. Its error
// says "not a number", as the quorum errors users see have always said.
func param(params map[string]string, key string, def int) (int, error) {
	v, ok := params[key]
	if !ok {
		return def, nil
	}
	q, err := strconv.Atoi(v)
	if err != nil {
		return 0, fmt.Errorf("parameter %s=%q is not a number", key, v)
	}
	return q, nil
}

// newConfig checks the server count and the quorums of o and returns the
// servers' shared configuration (ids 0..N-1), timers at their defaults.
func newConfig(o protocols.Options) (*config, error) {
	if o.Nodes < 1 || o.Nodes > serversMax {
		return nil, fmt.Errorf("paxos needs 1 to %d servers, got %d", serversMax, o.Nodes)
	}
	q1, q2, err := Quorums(o.Nodes, o.Params, o.Bug)
	if err != nil {
		return nil, err
	}
	cfg := &config{peers: make([]sim.NodeID, o.Nodes), q1: q1, q2: q2, bug: o.Bug}
	for i := range cfg.peers {
		cfg.peers[i] = sim.NodeID(i)
	}
	return cfg, nil
}

// setup adds servers n1..nN (ids 0..N-1, each on its own box) and clients
// c1..cK on boxes the nemesis leaves alone. The cluster stays live while
// max(Q1, Q2) servers are up, so that many must be.
func setup(w *sim.World, o protocols.Options) (*protocols.Instance, error) {
	cfg, err := newConfig(o)
	if err != nil {
		return nil, err
	}
	q1, q2 := cfg.q1, cfg.q2
	retry, err := cfg.timers(o.Params)
	if err != nil {
		return nil, err
	}
	for i := range cfg.peers {
		id := w.AddAgent(sim.AgentSpec{Name: name(sim.NodeID(i)), New: func() sim.Agent { return newNode(cfg) }})
		if id != cfg.peers[i] {
			return nil, fmt.Errorf("paxos must be set up in an empty world (server %d got id %d)", i, id)
		}
	}
	for i := 0; i < o.Clients; i++ {
		client := fmt.Sprintf("c%d", i+1)
		w.AddAgent(sim.AgentSpec{Name: client, New: func() sim.Agent {
			return newClient(client, cfg.peers, o.Ops, o.Skip, retry)
		}})
	}
	addProperties(w, newTracker(o.Nodes, q2), cfg.peers, o.Clients > 0)
	tolerates := o.Nodes - max(q1, q2)
	return &protocols.Instance{Servers: cfg.peers, Tolerates: tolerates, DownForGoodMax: tolerates, Describe: describeServer,
		Params: map[string]string{ParamQ1: strconv.Itoa(q1), ParamQ2: strconv.Itoa(q2)}}, nil
}

func addProperties(w *sim.World, t *tracker, servers []sim.NodeID, clients bool) {
	for _, p := range []string{PropOneValue, PropSamePrefix} {
		w.AddProperty(sim.Property{Name: p, Kind: sim.Always, Check: func(w *sim.World) error { return t.check(w, p) }})
	}
	w.AddProperty(acceptorDurable(t.servers).Property(PropAcceptorDurable))
	if clients {
		w.AddProperty(sim.Property{Name: PropValueChosen, Kind: sim.Sometimes, Check: t.valueChosen})
		kv.WriteAfterHeal(w, servers, isWrite, describeServer)
		kv.AddHistoryChecks(w, historyAccess)
	}
	w.AddProperty(kv.LinearizableWith(kvModel(), historyOp))
}

func isWrite(input any) bool {
	o, ok := input.(Op)
	return ok && !o.Kind.IsRead()
}

// historyOp reads a history operation in the checker's terms; requests
// injected from outside the world count too.
func historyOp(op *sim.Op) (Op, Result, bool) {
	in, ok := op.Input.(Op)
	if !ok {
		return Op{}, Result{}, false
	}
	out, _ := op.Output.(Result)
	return in, out, true
}

// historyAccess reads a history operation for read-fresh and exactly-once.
func historyAccess(op *sim.Op) (kv.Access, bool) {
	in, ok := op.Input.(Op)
	if !ok {
		return kv.Access{}, false
	}
	out, _ := op.Output.(Result)
	switch in.Kind {
	case OpGet:
		return kv.Access{Key: in.Key, Read: true, Value: out.Value, Found: out.Found, HasTokens: true}, true
	case OpUpdate:
		return kv.Access{Key: in.Key, Write: true, Wrote: in.Value, Text: in.Describe()}, true
	case OpAppend:
		return kv.Access{Key: in.Key, Write: true, Token: in.Value, Text: in.Describe()}, true
	case OpDelete:
		return kv.Access{Key: in.Key, Write: true, Text: in.Describe()}, true
	case OpPrint:
		var values []string
		for _, m := range dumpValue.FindAllStringSubmatch(out.Dump, -1) {
			values = append(values, m[1])
		}
		return kv.Access{Read: true, Values: values}, true
	}
	return kv.Access{}, false
}

// dumpValue matches a value in a print's dump; values hold no quotes.
var dumpValue = regexp.MustCompile(`": "([^"]*)"`)

// ServerState renders a server for scenario output: its role, ballots and the
// applied store.
func ServerState(w *sim.World, id sim.NodeID) string {
	a, ok := w.Agent(id).(*node)
	if !ok || a == nil {
		return "down"
	}
	return a.describe() + " kv=" + a.kv.dump()
}

// AcceptedOf renders a server's accepted values from slot from on, in slot order.
func AcceptedOf(w *sim.World, id sim.NodeID, from uint64) string {
	a, ok := w.Agent(id).(*node)
	if !ok || a == nil {
		return "down"
	}
	var parts []string
	for _, acc := range a.report(from, Ballot{}) {
		parts = append(parts, acc.Describe())
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}
