// Package durable checks the promise behind every durable write: what a server
// had told anyone — its state when a handler of it sent a message — survives a
// crash and restart. A protocol names the part of a server's state that others
// rely on (a Paxos acceptor's promised ballot and accepted values, a Raft
// server's term, vote and log, a 2PC participant's vote) as a view, and how a
// later view covers an earlier one; the checker records the view at the end of
// every handler that sent a message and, after every later event of that
// server, asks the current view to cover it. A protocol that replies before it
// persists (a vote granted, then lost in a crash that drops unsynced writes)
// fails at the first event of the restarted server, before the consequences
// reach another checker.
//
// The view must hold only durable state, and a correct protocol must have made
// it durable before the handler's messages left (Orrery's storage: Sync before
// the handler returns). Messages a handler sends only to itself count too, so
// a protocol that sends to itself before syncing should leave such state out
// of its view.
package durable

import (
	"fmt"

	"github.com/orrery-sim/orrery/sim"
)

// Checker holds the last promised view of each server.
type Checker[V any] struct {
	servers []sim.NodeID
	view    func(a sim.Agent) (V, bool)
	covers  func(now, promised V) error
	index   map[sim.NodeID]int
	floor   []V
	has     []bool
	sent    uint64 // messages sent in the run by the end of the last event
}

// New returns a checker over servers. view extracts the durable state of a
// server's agent (ok false: not a server of this protocol, say a crashed one's
// nil agent); covers returns nil when now keeps every promise of promised, or
// an error saying what was lost.
func New[V any](servers []sim.NodeID, view func(a sim.Agent) (V, bool), covers func(now, promised V) error) *Checker[V] {
	c := &Checker[V]{servers: servers, view: view, covers: covers, index: map[sim.NodeID]int{},
		floor: make([]V, len(servers)), has: make([]bool, len(servers))}
	for i, id := range servers {
		c.index[id] = i
	}
	return c
}

// Property is the always-property of c, to add to a world.
func (c *Checker[V]) Property(name string) sim.Property {
	return sim.Property{Name: name, Kind: sim.Always, Check: c.check}
}

func (c *Checker[V]) check(w *sim.World) error {
	sent := w.SentTotal()
	spoke := sent > c.sent
	c.sent = sent
	i, ok := c.index[w.Current()]
	if !ok || !w.Up(w.Current()) {
		return nil
	}
	now, ok := c.view(w.Agent(w.Current()))
	if !ok {
		return nil
	}
	if c.has[i] {
		if err := c.covers(now, c.floor[i]); err != nil {
			return fmt.Errorf("%s lost what it had promised: %v", w.Name(w.Current()), err)
		}
	}
	if spoke {
		c.floor[i], c.has[i] = now, true
	}
	return nil
}
