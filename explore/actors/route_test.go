package actors_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/orrery-sim/orrery/explore"
	"github.com/orrery-sim/orrery/explore/actors"
	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/sim"
)

// keeper keeps the requests it is given.
type keeper struct{ Got []string }

func (k *keeper) Start(*sim.Context) {}
func (k *keeper) Receive(_ *sim.Context, _ sim.NodeID, m sim.Message) {
	if r, ok := m.(sim.Request); ok {
		k.Got = append(k.Got, r.Payload.(string))
	}
}
func (k *keeper) Timer(*sim.Context, string) {}

// routedSetup: writes belong at head, reads at tail.
func routedSetup(w *sim.World) (*protocols.Instance, error) {
	head := w.AddAgent(sim.AgentSpec{Name: "head", New: func() sim.Agent { return &keeper{} }})
	tail := w.AddAgent(sim.AgentSpec{Name: "tail", New: func() sim.Agent { return &keeper{} }})
	w.AddProperty(sim.Property{Name: "routed", Kind: sim.Always, Check: func(w *sim.World) error {
		for _, id := range []sim.NodeID{head, tail} {
			k, ok := w.Agent(id).(*keeper)
			if !ok {
				continue
			}
			for _, r := range k.Got {
				if (r == "write") != (id == head) {
					return fmt.Errorf("%s got a %s", w.Name(id), r)
				}
			}
		}
		return nil
	}})
	return &protocols.Instance{Servers: []sim.NodeID{head, tail}}, nil
}

// TestAcceptsRequestRoutesByOperation: with AcceptsRequest, each request goes
// only to the servers that take that request (writes at the head, reads at
// the tail); without it, any server may get either, and the property that
// says where they belong fails.
func TestAcceptsRequestRoutesByOperation(t *testing.T) {
	route := func(w *sim.World, id sim.NodeID, req any) bool { return (req == "write") == (w.Name(id) == "head") }
	var got []string
	for _, accepts := range []func(*sim.World, sim.NodeID, any) bool{route, nil} {
		m, err := actors.New(actors.Config{Name: "routed", Setup: routedSetup, Network: actors.Unordered,
			Requests: []any{"write", "read", "write"}, AcceptsRequest: accepts})
		if err != nil {
			t.Fatal(err)
		}
		r, err := explore.Check(context.Background(), m, explore.Options{Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, fmt.Sprintf("%v states=%d", r.Status, r.States))
	}
	want := []string{"complete states=4", "violated states=3"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
