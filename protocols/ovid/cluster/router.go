package cluster

import (
	"github.com/orrery-sim/orrery/internal/assert"
	"github.com/orrery-sim/orrery/sim"
)

// Sender is what a Router needs from a handler's context; *sim.Context has it.
type Sender interface {
	Send(to sim.NodeID, msg sim.Message)
}

// Envelope is a routed message: the port it was addressed to at the receiving
// agent, and the message. Agents of this package receive nothing else.
type Envelope struct {
	Port string
	Msg  sim.Message
}

// Describe implements sim.Describer.
func (e Envelope) Describe() string { return e.Port + ": " + sim.Describe(e.Msg) }

// Hop is a resolved target: the physical agent and the port.
type Hop struct {
	To   sim.NodeID
	Port string
}

// Router is one agent's resolved routing table. It is immutable, so agents of
// every incarnation share it.
type Router struct {
	self   string
	routes map[string][]Hop
}

// NewRouter resolves a routing table; ids maps agent ids to node ids.
func NewRouter(self string, routes map[string][]Target, ids func(string) sim.NodeID) *Router {
	r := &Router{self: self, routes: map[string][]Hop{}}
	for name, targets := range routes { // lint:ordered builds a map
		hops := make([]Hop, len(targets))
		for i, t := range targets {
			hops[i] = Hop{To: ids(t.Agent), Port: t.Port}
		}
		r.routes[name] = hops
	}
	return r
}

// Send sends msg to every target of the virtual destination, each copy wrapped
// with its target's port, in the order of the file. A destination the agent's
// table lacks is a programming error: Parse checked the required ones.
func (r *Router) Send(ctx Sender, vdest string, msg sim.Message) {
	hops, ok := r.routes[vdest]
	if !ok {
		assert.Fail("%s sends to virtual destination %q, which its routing table lacks", r.self, vdest)
	}
	for _, h := range hops {
		ctx.Send(h.To, Envelope{Port: h.Port, Msg: msg})
	}
}

// Targets lists the targets of a virtual destination (nil if it has none).
func (r *Router) Targets(vdest string) []Hop { return r.routes[vdest] }

// Has reports whether the table routes the virtual destination.
func (r *Router) Has(vdest string) bool { return len(r.routes[vdest]) > 0 }

// Reply sends msg straight back to an agent that wrote to this one, to the
// given port: answers need no routing table.
func Reply(ctx Sender, to sim.NodeID, port string, msg sim.Message) {
	ctx.Send(to, Envelope{Port: port, Msg: msg})
}
