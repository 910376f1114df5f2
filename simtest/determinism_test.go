package simtest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/orrery-sim/orrery/harness"
	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/sim"
)

// gossip sends to its peers in the order a map ranges over them: a protocol
// that is not deterministic, as users write by accident.
type gossip struct {
	peers map[string]sim.NodeID
	sent  int
}

type msgGossip struct{ N int }

func (g *gossip) Start(ctx *sim.Context)                        { ctx.SetTimer("tick", sim.Millisecond) }
func (g *gossip) Receive(*sim.Context, sim.NodeID, sim.Message) {}
func (g *gossip) Timer(ctx *sim.Context, _ string) {
	for _, id := range g.peers { // deliberately unordered
		g.sent++
		ctx.Send(id, msgGossip{N: g.sent})
	}
	ctx.SetTimer("tick", 10*sim.Millisecond)
}

func gossipProtocol(sorted bool) *protocols.Protocol {
	return &protocols.Protocol{
		Name: "gossip", Nodes: 9, MinNodes: 2, MaxNodes: 9,
		Safety: 200 * sim.Millisecond, Liveness: sim.Millisecond,
		Setup: func(w *sim.World, o protocols.Options) (*protocols.Instance, error) {
			ids := make([]sim.NodeID, o.Nodes)
			for i := range ids {
				ids[i] = sim.NodeID(i)
			}
			for i := range ids {
				peers := map[string]sim.NodeID{}
				for j, id := range ids {
					if j != i {
						peers[fmt.Sprintf("n%d", j+1)] = id
					}
				}
				w.AddAgent(sim.AgentSpec{Name: fmt.Sprintf("n%d", i+1), New: func() sim.Agent {
					if sorted {
						return &sortedGossip{gossip{peers: peers}}
					}
					return &gossip{peers: peers}
				}})
			}
			return &protocols.Instance{Servers: ids, Tolerates: 1}, nil
		},
	}
}

// sortedGossip is the fixed protocol: peers in name order.
type sortedGossip struct{ gossip }

func (g *sortedGossip) Timer(ctx *sim.Context, _ string) {
	for i := 1; i <= len(g.peers)+1; i++ {
		if id, ok := g.peers[fmt.Sprintf("n%d", i)]; ok {
			g.sent++
			ctx.Send(id, msgGossip{N: g.sent})
		}
	}
	ctx.SetTimer("tick", 10*sim.Millisecond)
}

// TestSelfCheckNamesTheFirstDivergence: a protocol that ranges over a map is
// refused before any search, with the first trace line where two runs of one
// seed part; the same protocol with its peers sorted passes.
func TestSelfCheckNamesTheFirstDivergence(t *testing.T) {
	cfg, _, err := harness.Config{}.ResolveFor(gossipProtocol(false))
	if err != nil {
		t.Fatal(err)
	}
	err = selfCheck(cfg)
	if err == nil || !strings.Contains(err.Error(), "gossip is not deterministic: two runs of seed 1 differ first at trace line") {
		t.Fatalf("selfCheck = %v, want a named divergence", err)
	}
	cfg, _, err = harness.Config{}.ResolveFor(gossipProtocol(true))
	if err != nil {
		t.Fatal(err)
	}
	if err := selfCheck(cfg); err != nil {
		t.Fatal(err)
	}
}
