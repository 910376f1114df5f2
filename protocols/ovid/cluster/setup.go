package cluster

import (
	"fmt"
	"slices"

	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/sim"
)

// Setup adds the cluster's agents to an empty world, in file order (so agent i
// of the file is node i), and the properties of every type present. The servers
// the nemesis may fault are the agents of server types.
func Setup(w *sim.World, c *Cluster) (*protocols.Instance, error) {
	if w.Len() != 0 {
		return nil, fmt.Errorf("cluster: the world must be empty, has %d agents", w.Len())
	}
	ids := func(id string) sim.NodeID { return sim.NodeID(c.byID[id].Index) }
	inst := &protocols.Instance{Tolerates: c.Tolerates, Describe: describe}
	for _, a := range c.Agents {
		router := NewRouter(a.ID, a.Routes, ids)
		id := w.AddAgent(sim.AgentSpec{Name: a.ID, Box: a.Box, New: func() sim.Agent { return a.Type.New(a, router) }})
		if int(id) != a.Index {
			return nil, fmt.Errorf("cluster: agent %s got node %d, want %d", a.ID, id, a.Index)
		}
		if a.Type.Server {
			inst.Servers = append(inst.Servers, id)
		}
	}
	var seen []*Type
	for _, a := range c.Agents {
		if slices.Contains(seen, a.Type) || a.Type.Properties == nil {
			continue
		}
		seen = append(seen, a.Type)
		a.Type.Properties(w, c, c.OfType(a.Type.Name))
	}
	return inst, nil
}

// OfType lists the agents of a type, in file order.
func (c *Cluster) OfType(name string) []*Agent {
	var agents []*Agent
	for _, a := range c.Agents {
		if a.Type.Name == name {
			agents = append(agents, a)
		}
	}
	return agents
}

func describe(w *sim.World, id sim.NodeID) string {
	if a := w.Agent(id); a != nil {
		return sim.Describe(a)
	}
	return "down"
}
