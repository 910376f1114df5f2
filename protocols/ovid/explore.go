package ovid

import (
	"cmp"
	"errors"
	"fmt"
	"slices"

	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/protocols/ovid/cluster"
	"github.com/orrery-sim/orrery/sim"
)

// Bounds of the model-checked setting (simrun -explore -config FILE).
const (
	// exploreInFlightMax bounds the messages in flight: a state with more is
	// checked but not expanded.
	exploreInFlightMax = 4
	exploreDepthMax    = 0 // none: a cluster with few lines is finite within the in-flight bound
)

// exploreSpec is a key-value cluster file under exhaustive exploration: the
// file's own agents, boxes and routes, with the lines its ttys type (in the
// order of their times) as the checker's requests, each to a kv-client the
// tty types into, once it is idle; random workloads are off. Properties judge what a state shows:
// linearizability of the key-value history (whose operations carry logical
// times) and every mirror a prefix of its primary's log. Timers that only
// resend without loss never fire (a client's retry, a tty's line: the
// requests replace it), nor a client's issue timer with nothing to issue; a
// server's replicate timer fires while a backup lacks entries. Chat agents
// are not explorable.
func exploreSpec(o protocols.Options) (*protocols.ExploreSpec, error) {
	c, err := parseCluster(o)
	if err != nil {
		return nil, err
	}
	requests, targets, err := ttyRequests(c)
	if err != nil {
		return nil, err
	}
	setup := func(w *sim.World) (*protocols.Instance, error) {
		c, err := parseCluster(o) // agents of their own: each checker goroutine builds a world
		if err != nil {
			return nil, err
		}
		inst := &protocols.Instance{Tolerates: c.Tolerates, Describe: describeAgent}
		ids := func(id string) sim.NodeID { a, _ := c.Agent(id); return sim.NodeID(a.Index) }
		for _, a := range c.Agents {
			if attrs, ok := a.Attrs.(kvClientAttrs); ok {
				off := false
				attrs.Workload = &off
				a.Attrs = attrs
			}
			router := cluster.NewRouter(a.ID, a.Routes, ids)
			id := w.AddAgent(sim.AgentSpec{Name: a.ID, Box: a.Box, New: func() sim.Agent { return a.Type.New(a, router) }})
			if a.Type.Server {
				inst.Servers = append(inst.Servers, id)
			}
		}
		w.AddProperty(sim.Property{Name: PropKVLinearizable, Kind: sim.Always, Check: checkKVLinearizable})
		w.AddProperty(sim.Property{Name: PropMirrorPrefix, Kind: sim.Always, Check: stateMirrorsPrefix})
		w.AddProperty(sim.Property{Name: PropKVReadSawWrite, Kind: sim.Sometimes, Check: stateReadSawWrite})
		return inst, nil
	}
	return &protocols.ExploreSpec{Setup: setup, Requests: requests, RequestsToClients: true, OrderedHistory: true,
		InFlightMax: exploreInFlightMax, DepthMax: exploreDepthMax, Fires: exploreFires,
		Accepts: func(w *sim.World, id sim.NodeID) bool {
			// Every operation is a request, so the history's length is the
			// next request's index; only requests change it, so the answer
			// depends on no other agent's step.
			next := len(w.History().Ops)
			c, ok := agentOf[*KVClient](w, id)
			return ok && next < len(targets) && targets[next] == id && !c.busy && len(c.requests) == 0
		}}, nil
}

// PropKVReadSawWrite is the exploration's coverage goal: some get returned a
// written value.
const PropKVReadSawWrite = "kv-read-saw-write"

// ttyRequests are the lines of every tty as key-value operations, one per
// kv-client the tty types into, ordered by their times (ties in file order),
// and the client each goes to. A cluster with agents that are not key-value
// ones, or a line that is not an operation, cannot be explored.
func ttyRequests(c *cluster.Cluster) ([]any, []sim.NodeID, error) {
	type timed struct {
		at sim.Time
		op KVOp
		to sim.NodeID
	}
	var lines []timed
	for _, a := range c.Agents {
		switch a.Type.Name {
		case "kv-server", "kv-client":
		case "tty":
			for _, l := range a.Attrs.(ttyAttrs).Script {
				op, err := ParseKVLine(l.Line)
				if err != nil {
					return nil, nil, fmt.Errorf("%s: %v: exploration needs key-value lines", a.ID, err)
				}
				for _, t := range a.Routes["out"] {
					to, _ := c.Agent(t.Agent)
					lines = append(lines, timed{l.at, op, sim.NodeID(to.Index)})
				}
			}
		default:
			return nil, nil, fmt.Errorf("%s: agents of type %s cannot be explored (kv-server, kv-client and tty can)", a.ID, a.Type.Name)
		}
	}
	slices.SortStableFunc(lines, func(a, b timed) int { return cmp.Compare(a.at, b.at) })
	requests, targets := make([]any, len(lines)), make([]sim.NodeID, len(lines))
	for i, l := range lines {
		requests[i], targets[i] = l.op, l.to
	}
	return requests, targets, nil
}

// exploreFires: a server's replicate timer fires while some backup lacks
// entries; a client's issue timer while it has something to issue; a
// client's retry and a tty's line never (see exploreSpec).
func exploreFires(w *sim.World, id sim.NodeID, timer string) bool {
	switch a := w.Agent(id).(type) {
	case *KVServer:
		return slices.ContainsFunc(a.acked, func(have int) bool { return have < len(a.log) })
	case *KVClient:
		return timer == "issue" && !a.busy && (len(a.requests) > 0 || len(a.lines) > 0)
	}
	return false
}

// stateMirrorsPrefix: every backup's mirror of each primary that is up is a
// prefix of the primary's log.
func stateMirrorsPrefix(w *sim.World) error {
	for id := range sim.NodeID(w.Len()) {
		p, ok := agentOf[*KVServer](w, id)
		if !ok {
			continue
		}
		for _, h := range p.router.Targets("backups") {
			if b, ok := agentOf[*KVServer](w, h.To); ok {
				if err := prefix(w, id, p.log, h.To, b.mirrors[id]); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func stateReadSawWrite(w *sim.World) error {
	for _, op := range w.History().Ops {
		if in, ok := op.Input.(KVOp); ok && in.Kind == "get" && op.Done && op.Output.(KVResult).Value != "" {
			return nil
		}
	}
	return errors.New("no get has returned a written value")
}

func describeAgent(w *sim.World, id sim.NodeID) string {
	if a := w.Agent(id); a != nil {
		return sim.Describe(a)
	}
	return "down"
}
