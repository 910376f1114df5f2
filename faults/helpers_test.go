package faults_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/orrery-sim/orrery/faults"
	"github.com/orrery-sim/orrery/scheduler"
	"github.com/orrery-sim/orrery/sim"
	"github.com/orrery-sim/orrery/traces"
)

// probe pings every peer on each tick and records what it hears, so a test can
// see exactly what a fault did to the traffic.
type probe struct {
	peers []sim.NodeID
	ticks int
	heard []heard
}

type heard struct {
	from   sim.NodeID
	n      int
	at     sim.Time
	sentAt sim.Time
}

type msgProbe struct {
	N      int
	SentAt sim.Time
}

const probeTick = 10 * sim.Millisecond

func (p *probe) Start(ctx *sim.Context) { ctx.SetTimer("tick", probeTick) }

func (p *probe) Receive(ctx *sim.Context, from sim.NodeID, msg sim.Message) {
	if m, ok := msg.(msgProbe); ok {
		p.heard = append(p.heard, heard{from: from, n: m.N, at: ctx.Now(), sentAt: m.SentAt})
	}
}

func (p *probe) Timer(ctx *sim.Context, name string) {
	p.ticks++
	for _, peer := range p.peers {
		if peer != ctx.Self() {
			ctx.Send(peer, msgProbe{N: p.ticks, SentAt: ctx.Now()})
		}
	}
	ctx.SetTimer("tick", probeTick)
}

// cluster is a small world of probes n1..nN and idle clients c1..cM.
type cluster struct {
	w       *sim.World
	servers []sim.NodeID
	events  []traces.Event
}

type idle struct{}

func (idle) Start(*sim.Context)                            {}
func (idle) Receive(*sim.Context, sim.NodeID, sim.Message) {}
func (idle) Timer(*sim.Context, string)                    {}

func newCluster(t testing.TB, seed uint64, servers, clients int, net sim.NetworkConfig) *cluster {
	t.Helper()
	return newClusterWith(scheduler.NewSeeded(seed), servers, clients, net)
}

func newClusterWith(ch scheduler.Chooser, servers, clients int, net sim.NetworkConfig) *cluster {
	c := &cluster{w: sim.New(sim.Options{Chooser: ch, Network: net})}
	for i := 0; i < servers; i++ {
		c.servers = append(c.servers, c.w.AddAgent(sim.AgentSpec{Name: fmt.Sprintf("n%d", i+1), New: func() sim.Agent {
			return &probe{peers: c.servers}
		}}))
	}
	for i := 0; i < clients; i++ {
		c.w.AddAgent(sim.AgentSpec{Name: fmt.Sprintf("c%d", i+1), New: func() sim.Agent { return idle{} }})
	}
	return c
}

// trace records every event from now on (call before the run starts).
func (c *cluster) trace() {
	c.w.SetTrace(func(e *traces.Event) { c.events = append(c.events, *e) })
}

// lines renders the recorded events of the given kinds.
func (c *cluster) lines(kinds ...traces.Kind) []string {
	c.w.FlushTrace()
	var out []string
	for _, e := range c.events {
		for _, k := range kinds {
			if e.Kind == k {
				out = append(out, e.Desc)
			}
		}
	}
	return out
}

func (c *cluster) probe(name string) *probe {
	id, ok := c.w.Lookup(name)
	if !ok {
		panic("no agent " + name)
	}
	p, _ := c.w.Agent(id).(*probe)
	return p
}

func (c *cluster) id(name string) sim.NodeID {
	id, _ := c.w.Lookup(name)
	return id
}

// apply parses and applies faults now.
func (c *cluster) apply(t testing.TB, in *faults.Injector, texts ...string) {
	t.Helper()
	for _, text := range texts {
		f, err := faults.Parse(text)
		if err != nil {
			t.Fatal(err)
		}
		if err := in.Apply(f); err != nil {
			t.Fatal(err)
		}
	}
}

// heardFrom lists the tick numbers p heard from a sender in [from, to).
func (p *probe) heardFrom(sender sim.NodeID, from, to sim.Time) []int {
	var out []int
	for _, h := range p.heard {
		if h.from == sender && h.at >= from && h.at < to {
			out = append(out, h.n)
		}
	}
	return out
}

// cuts renders the cut matrix of the servers: row from, column to, 'x' = cut.
func (c *cluster) cuts() string {
	var b strings.Builder
	for _, a := range c.servers {
		for _, z := range c.servers {
			switch {
			case a == z:
				b.WriteByte('\\')
			case c.w.IsCut(a, z):
				b.WriteByte('x')
			default:
				b.WriteByte('.')
			}
		}
		b.WriteByte('\n')
	}
	return b.String()
}

var fifoNet = sim.NetworkConfig{DelayMin: sim.Millisecond, DelayMax: 3 * sim.Millisecond, FIFO: true}
