package paxos

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	lin "github.com/orrery-sim/orrery/checkers/linearizability"
	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/protocols/internal/seek"
	"github.com/orrery-sim/orrery/sim"
)

// Protocol parameters (protocols.Options.Params).
const (
	ParamQ1 = "q1" // phase-1 (prepare) quorum size
	ParamQ2 = "q2" // phase-2 (accept) quorum size
)

func init() {
	protocols.Register(&protocols.Protocol{
		Name:     "paxos",
		Summary:  "Multi-Paxos with a distinguished leader and flexible quorums (params q1, q2), serving a KV store",
		Nodes:    5,
		MinNodes: 1,
		MaxNodes: 9,
		Clients:  3,
		Bugs:     bugs,
		Safety:   10 * sim.Second,
		Liveness: 10 * sim.Second,
		Setup:    setup,
		Explore:  exploreSpec,
	})
}

// Quorums returns the phase-1 and phase-2 quorum sizes for n servers and the
// given parameters: Q2 defaults to a majority and Q1 to N - Q2 + 1, the
// smallest that intersects every Q2. Q1 + Q2 must exceed N; the
// nonintersecting-quorums bug lets them not, and defaults Q1 to N - Q2.
func Quorums(n int, params map[string]string, bug string) (q1, q2 int, err error) {
	for _, k := range sortedKeys(params) {
		if k != ParamQ1 && k != ParamQ2 {
			return 0, 0, fmt.Errorf("unknown parameter %q (paxos knows %s, %s)", k, ParamQ1, ParamQ2)
		}
	}
	broken := bug == BugNonintersectingQuorums
	if q2, err = param(params, ParamQ2, n/2+1); err != nil {
		return 0, 0, err
	}
	q1Default := n - q2 + 1
	if broken {
		q1Default = max(1, n-q2)
	}
	if q1, err = param(params, ParamQ1, q1Default); err != nil {
		return 0, 0, err
	}
	switch {
	case q1 < 1 || q1 > n || q2 < 1 || q2 > n:
		return 0, 0, fmt.Errorf("quorums q1=%d q2=%d: each must be between 1 and the %d servers", q1, q2, n)
	case q1+q2 <= n && !broken:
		return 0, 0, fmt.Errorf("quorums q1=%d q2=%d do not intersect: q1 + q2 must exceed the %d servers", q1, q2, n)
	}
	return q1, q2, nil
}

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

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m { // lint:ordered sorted below
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// setup adds servers n1..nN (ids 0..N-1, each on its own box) and clients
// c1..cK on boxes the nemesis leaves alone. The cluster stays live while
// max(Q1, Q2) servers are up, so that many must be.
func setup(w *sim.World, o protocols.Options) (*protocols.Instance, error) {
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
	for i := range cfg.peers {
		id := w.AddAgent(sim.AgentSpec{Name: name(sim.NodeID(i)), New: func() sim.Agent { return newNode(cfg) }})
		if id != cfg.peers[i] {
			return nil, fmt.Errorf("paxos must be set up in an empty world (server %d got id %d)", i, id)
		}
	}
	for i := 0; i < o.Clients; i++ {
		client := fmt.Sprintf("c%d", i+1)
		w.AddAgent(sim.AgentSpec{Name: client, New: func() sim.Agent {
			return &workload{name: client, seek: seek.Seeker{Servers: cfg.peers, Timing: clientTiming}, opsMax: o.Ops}
		}})
	}
	addProperties(w, newTracker(o.Nodes, q2), o.Clients > 0)
	return &protocols.Instance{Servers: cfg.peers, Tolerates: o.Nodes - max(q1, q2), Describe: describeServer}, nil
}

func addProperties(w *sim.World, t *tracker, clients bool) {
	for _, p := range []string{PropOneValue, PropSamePrefix} {
		w.AddProperty(sim.Property{Name: p, Kind: sim.Always, Check: func(w *sim.World) error { return t.check(w, p) }})
	}
	if clients {
		w.AddProperty(sim.Property{Name: PropValueChosen, Kind: sim.Sometimes, Check: t.valueChosen})
		w.OnLiveness(func(w *sim.World) { t.liveFrom = len(w.History().Ops) })
		w.AddProperty(sim.Property{Name: PropWriteAfterHeal, Kind: sim.Eventually, Check: t.writeAfterHeal})
	}
	w.AddProperty(sim.Property{Name: PropLinearizable, Kind: sim.AtEnd, Check: func(w *sim.World) error {
		return checkLinearizable(history(w))
	}})
}

// history is the client history in the checker's terms; requests injected
// from outside the world count too.
func history(w *sim.World) []lin.Operation[Op, Result] {
	ops := w.History().Ops
	out := make([]lin.Operation[Op, Result], 0, len(ops))
	for _, op := range ops {
		in, ok := op.Input.(Op)
		if !ok {
			continue
		}
		h := lin.Operation[Op, Result]{ClientID: int(op.Client), Input: in, Call: int64(op.Call), Open: !op.Done}
		if op.Done {
			h.Output, h.Return = op.Output.(Result), int64(op.Return)
		}
		out = append(out, h)
	}
	return out
}

// ServerState renders a server for scenario output: its role, ballots and the
// applied store.
func ServerState(w *sim.World, id sim.NodeID) string {
	a, ok := w.Agent(id).(*node)
	if !ok || a == nil {
		return "down"
	}
	return a.describe() + " kv=" + a.kv.dump()
}

// Accepted renders a server's accepted values from slot from on, in slot order.
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
