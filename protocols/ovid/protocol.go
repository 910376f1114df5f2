package ovid

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"slices"
	"strings"

	lin "github.com/orrery-sim/orrery/checkers/linearizability"
	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/protocols/ovid/cluster"
	"github.com/orrery-sim/orrery/sim"
	"github.com/orrery-sim/orrery/workload/kv"
)

// DefaultCluster is the cluster a run uses without a cluster file: the Ovid KV
// demo (a copy of examples/kvs.json; a test keeps them equal).
//
//go:embed default.json
var DefaultCluster []byte

// Property names, as reported in verdicts.
const (
	PropKVLinearizable  = "kv-linearizability"
	PropKVProgress      = "kv-progress-after-heal"
	PropMirrorPrefix    = "mirror-is-prefix"
	PropMirrorsCaughtUp = "mirrors-caught-up"
	PropChatNoDuplicate = "chat-no-duplicate-delivery"
	PropChatFIFO        = "chat-fifo-per-origin"
	PropChatDelivered   = "chat-all-delivered"
)

func init() {
	cluster.RegisterType(&cluster.Type{
		Name: "kv-server", Summary: "key-value server with an append-only durable log; mirrors it to its backups",
		Server: true, Ports: []string{portClient, portRepl, portReplAck},
		Routes: []cluster.RouteSpec{{Name: "backups", Min: 0, Max: 0, Types: []string{"kv-server"}}},
		New:    newKVServer, Properties: kvServerProperties,
	})
	cluster.RegisterType(&cluster.Type{
		Name: "kv-client", Summary: "key-value client: tty lines, then a random workload; one operation at a time",
		Ports: []string{portTTY, portReply}, Routes: []cluster.RouteSpec{{Name: "db", Min: 1, Max: 1, Types: []string{"kv-server"}}},
		Attrs: decodeKVClientAttrs, New: newKVClient, Properties: kvClientProperties, Check: checkKVClientInput,
	})
	cluster.RegisterType(&cluster.Type{
		Name: "tty", Summary: "scripted input: sends each line of its script at its virtual time to every target of \"out\"",
		Routes: []cluster.RouteSpec{{Name: "out", Min: 1, Types: []string{"kv-client", "chat-server", "chat-client"}}},
		Attrs:  decodeTTYAttrs, New: newTTY,
	})
	cluster.RegisterType(&cluster.Type{
		Name: "chat-server", Summary: "Chatroom server: multicasts to its \"peers\", per-origin FIFO, heartbeat repair",
		Server: true, Ports: []string{portClient, portPeer, portTTY, portReply},
		Routes: []cluster.RouteSpec{{Name: "peers", Min: 0, Types: []string{"chat-server"}}},
		New:    newChatServer, Properties: chatProperties, Check: checkChatServerInput,
	})
	cluster.RegisterType(&cluster.Type{
		Name: "chat-client", Summary: "Chatroom client: says numbered messages to its \"server\"; passes on \"say TEXT\" lines",
		Ports: []string{portTTY, portReply}, Routes: []cluster.RouteSpec{{Name: "server", Min: 1, Max: 1, Types: []string{"chat-server"}}},
		Attrs: decodeChatClientAttrs, New: newChatClient,
	})
	def, err := cluster.Parse(DefaultCluster)
	if err != nil {
		panic("ovid: default cluster: " + err.Error())
	}
	servers := len(def.OfType("kv-server"))
	protocols.Register(&protocols.Protocol{
		Name:    "ovid",
		Summary: "a cluster from a config file (simrun -config); default: the Ovid KV demo",
		Nodes:   servers,
		Clients: len(def.Agents) - servers,
		// A cluster file bounds its agents itself.
		MaxNodes: cluster.AgentsMax, MaxClients: cluster.AgentsMax, SizeIgnored: true,
		Params: []protocols.Param{{Name: ParamCluster, Kind: protocols.ParamText,
			Summary: "the text of a cluster file (simrun -config FILE sets it); default: the Ovid KV demo"}},
		Safety:   5 * sim.Second,
		Liveness: 5 * sim.Second,
		Setup:    Setup,
		Bugs:     bugs,
		Explore:  exploreSpec,
	})
}

// ParamCluster is the protocol parameter that holds the text of a cluster file,
// so that a trace header, which records the run's parameters, holds the cluster.
const ParamCluster = "cluster"

// Setup builds the cluster of o.Params["cluster"] (the default cluster when
// absent). The file fixes the agents: o.Nodes and o.Clients are not used.
func Setup(w *sim.World, o protocols.Options) (*protocols.Instance, error) {
	c, err := parseCluster(o)
	if err != nil {
		return nil, err
	}
	return cluster.Setup(w, c)
}

// parseCluster parses the cluster of o.Params["cluster"] (the default cluster
// when absent) and gives its agents the planted bug o.Bug and the operation
// cap o.Ops.
func parseCluster(o protocols.Options) (*cluster.Cluster, error) {
	text := DefaultCluster
	for name, value := range o.Params { // lint:ordered at most one known name; the error names the first unknown
		if name != ParamCluster {
			return nil, fmt.Errorf("ovid: unknown parameter %q (known: %s)", name, ParamCluster)
		}
		text = []byte(value)
	}
	c, err := cluster.Parse(text)
	if err != nil {
		return nil, err
	}
	for _, a := range c.Agents {
		a.Bug, a.Ops = o.Bug, o.Ops
	}
	return c, nil
}

// kvClientProperties: linearizability of the whole key-value history, per key,
// and progress of the workload clients after the heal.
func kvClientProperties(w *sim.World, _ *cluster.Cluster, clients []*cluster.Agent) {
	kv.AddHistoryChecks(w, kvAccess)
	w.AddProperty(sim.Property{Name: PropKVLinearizable, Kind: sim.AtEnd, Check: checkKVLinearizable})
	liveFrom := 0
	w.OnLiveness(func(w *sim.World) { liveFrom = len(w.History().Ops) })
	w.AddProperty(sim.Property{Name: PropKVProgress, Kind: sim.Eventually, Check: func(w *sim.World) error {
		for _, a := range clients {
			c, ok := w.Agent(sim.NodeID(a.Index)).(*KVClient)
			if !ok || (!*c.attrs.Workload && len(c.lines) == 0) || c.workDone >= c.attrs.Ops || c.capped() {
				continue // down, or nothing left to do
			}
			if !slices.ContainsFunc(w.History().Ops[liveFrom:], func(op sim.Op) bool { return op.Done && op.Client == sim.NodeID(a.Index) }) {
				return fmt.Errorf("%s has completed no operation since the heal", a.ID)
			}
		}
		return nil
	}})
}

// kvAccess reads a history operation for workload/kv's read-fresh and
// exactly-once: the workload's put values and append tokens are unique to
// the operation (what a script appends is not, and is not judged).
func kvAccess(op *sim.Op) (kv.Access, bool) {
	in, ok := op.Input.(KVOp)
	if !ok {
		return kv.Access{}, false
	}
	out, _ := op.Output.(KVResult)
	switch in.Kind {
	case "get":
		return kv.Access{Key: in.Key, Read: true, Value: out.Value, Found: out.Value != "", HasTokens: true}, true
	case "put":
		return kv.Access{Key: in.Key, Write: true, Wrote: in.Value, Text: in.Describe()}, true
	case "append":
		return kv.Access{Key: in.Key, Write: true, Token: in.Value, Text: in.Describe()}, true
	case "delete":
		return kv.Access{Key: in.Key, Write: true, Text: in.Describe()}, true
	}
	return kv.Access{}, false
}

func checkKVLinearizable(w *sim.World) error {
	ops := w.History().Ops
	history := make([]lin.Operation[lin.KVInput, lin.KVOutput], 0, len(ops))
	ids := make([]sim.OpID, 0, len(ops))
	kinds := map[string]lin.KVOp{"get": lin.KVGet, "put": lin.KVPut, "append": lin.KVAppend, "delete": lin.KVDelete}
	for _, op := range ops {
		in, ok := op.Input.(KVOp)
		if !ok {
			continue
		}
		h := lin.Operation[lin.KVInput, lin.KVOutput]{ClientID: int(op.Client), Call: int64(op.Call), Open: !op.Done,
			Input: lin.KVInput{Op: kinds[in.Kind], Key: in.Key, Value: in.Value}}
		if op.Done {
			r, _ := op.Output.(KVResult)
			h.Output, h.Return = lin.KVOutput{Value: r.Value}, int64(op.Return)
		}
		history, ids = append(history, h), append(ids, op.ID)
	}
	r := lin.Check(context.Background(), lin.KVModel(), history, lin.Options{Workers: 1})
	if r.Verdict == lin.Ok {
		return nil
	}
	if w.History().Logical { // under exploration: name the requests' agents, order the times
		return kv.LinearizabilityFailure(w, r, ids)
	}
	return fmt.Errorf("%d operations: %s", len(history), strings.TrimSpace(r.String()))
}

// kvServerProperties: every mirror is a prefix of its primary's log (always),
// and every live backup catches up with every live primary (eventually).
func kvServerProperties(w *sim.World, c *cluster.Cluster, servers []*cluster.Agent) {
	w.AddProperty(sim.Property{Name: PropMirrorPrefix, Kind: sim.Always, Check: func(w *sim.World) error {
		id := w.Current()
		s, ok := agentOf[*KVServer](w, id)
		if !ok {
			return nil
		}
		for _, h := range s.router.Targets("backups") { // the primary just logged: compare its backups
			if b, ok := agentOf[*KVServer](w, h.To); ok {
				if err := prefix(w, id, s.log, h.To, b.mirrors[id]); err != nil {
					return err
				}
			}
		}
		for _, origin := range s.origins() {
			if p, ok := agentOf[*KVServer](w, origin); ok {
				if err := prefix(w, origin, p.log, id, s.mirrors[origin]); err != nil {
					return err
				}
			}
		}
		return nil
	}})
	w.AddProperty(sim.Property{Name: PropMirrorsCaughtUp, Kind: sim.Eventually, Check: func(w *sim.World) error {
		for _, a := range servers {
			p, ok := agentOf[*KVServer](w, sim.NodeID(a.Index))
			if !ok {
				continue
			}
			for _, h := range p.router.Targets("backups") {
				if b, ok := agentOf[*KVServer](w, h.To); ok && len(b.mirrors[sim.NodeID(a.Index)]) < len(p.log) {
					return fmt.Errorf("%s mirrors %d of %s's %d entries", w.Name(h.To), len(b.mirrors[sim.NodeID(a.Index)]), a.ID, len(p.log))
				}
			}
		}
		return nil
	}})
}

func prefix(w *sim.World, primary sim.NodeID, log []LogEntry, backup sim.NodeID, mirror []LogEntry) error {
	if len(mirror) > len(log) {
		return fmt.Errorf("%s mirrors %d entries of %s, which has %d", w.Name(backup), len(mirror), w.Name(primary), len(log))
	}
	for i, e := range mirror {
		if e != log[i] {
			return fmt.Errorf("%s's mirror of %s differs at entry %d: %s vs %s", w.Name(backup), w.Name(primary), i, e.Op.Describe(), log[i].Op.Describe())
		}
	}
	return nil
}

// agentOf is the live agent id as a T; false for External, a down agent or
// another type.
func agentOf[T sim.Agent](w *sim.World, id sim.NodeID) (T, bool) {
	if id < 0 || int(id) >= w.Len() {
		var zero T
		return zero, false
	}
	a, ok := w.Agent(id).(T)
	return a, ok
}

// chatProperties: no server delivers an entry twice or an origin's entries out
// of order (always); servers that route to each other deliver the same entries
// (eventually).
func chatProperties(w *sim.World, _ *cluster.Cluster, servers []*cluster.Agent) {
	w.AddProperty(sim.Property{Name: PropChatNoDuplicate, Kind: sim.Always, Check: func(w *sim.World) error {
		s, ok := agentOf[*ChatServer](w, w.Current())
		if !ok {
			return nil
		}
		seen := map[ChatEntry]bool{}
		for _, e := range s.log {
			if seen[e] {
				return fmt.Errorf("%s delivered %v twice", s.agent.ID, e)
			}
			seen[e] = true
		}
		return nil
	}})
	w.AddProperty(sim.Property{Name: PropChatFIFO, Kind: sim.Always, Check: func(w *sim.World) error {
		s, ok := agentOf[*ChatServer](w, w.Current())
		if !ok {
			return nil
		}
		next := map[string]int{}
		for _, e := range s.log {
			if e.Seq != next[e.Origin]+1 {
				return fmt.Errorf("%s delivered %v after %s#%d", s.agent.ID, e, e.Origin, next[e.Origin])
			}
			next[e.Origin] = e.Seq
		}
		return nil
	}})
	w.AddProperty(sim.Property{Name: PropChatDelivered, Kind: sim.Eventually, Check: func(w *sim.World) error {
		for _, a := range servers {
			s, ok := agentOf[*ChatServer](w, sim.NodeID(a.Index))
			if !ok {
				continue
			}
			for _, h := range s.router.Targets("peers") {
				p, ok := agentOf[*ChatServer](w, h.To)
				if !ok || !slices.ContainsFunc(p.router.Targets("peers"), func(b cluster.Hop) bool { return b.To == sim.NodeID(a.Index) }) {
					continue // only servers that ping each other repair each other
				}
				if d := missing(s, p); d != "" {
					return errors.New(d)
				}
			}
		}
		return nil
	}})
}

// missing says which origin's entries p lacks that s has, or "".
func missing(s, p *ChatServer) string {
	for _, c := range s.have() {
		if n := len(p.byOrigin[c.Origin]); n < c.Count {
			return fmt.Sprintf("%s has %d of %s's messages, %s has %d", p.agent.ID, n, c.Origin, s.agent.ID, c.Count)
		}
	}
	return ""
}
