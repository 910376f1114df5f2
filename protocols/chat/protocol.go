package chat

import (
	"errors"
	"fmt"
	"slices"

	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/sim"
)

// Planted bugs.
const (
	BugNoDedupe   = "no-dedupe"    // a re-sent entry is delivered again
	BugNoHoldBack = "no-hold-back" // early arrivals are delivered at once, out of order
	// BugAckBeforeSync acknowledges and broadcasts a message before it is
	// durable: a crash that loses unsynced writes loses an acknowledged
	// message, and the restarted origin gives its sequence number to the next.
	BugAckBeforeSync = "ack-before-sync"
	// BugSentIsDelivered keeps, per peer, how many of each origin's
	// entries it has sent there, and repairs a peer only past that mark:
	// an entry the peer lost (to the network, or to a crash before it was
	// durable) is never sent again. Raft's leader avoids this by moving a
	// follower's nextIndex back when the follower says it lacks an entry.
	BugSentIsDelivered = "sent-is-delivered"
)

func init() {
	protocols.Register(&protocols.Protocol{
		Name:     "chat",
		Summary:  "Chatroom: broadcast with per-origin FIFO delivery and heartbeat failure detection",
		Nodes:    3,
		MinNodes: 1,
		MaxNodes: 64,
		Clients:  2,
		Bugs: []protocols.Bug{
			{Name: BugNoDedupe, Summary: "a server delivers an entry it already has when it is re-sent (catch-up, duplication)"},
			{Name: BugNoHoldBack, Summary: "a server delivers an entry that arrives before its predecessor at once (FIFO broken)"},
			{Name: BugAckBeforeSync, Summary: "a server acknowledges a message before it is durable (lost on a crash, its number reused)"},
			{Name: BugSentIsDelivered, Summary: "a server never re-sends a peer an entry it once sent it, so an entry the peer lost is never repaired"},
		},
		Safety:   10 * sim.Second,
		Liveness: 10 * sim.Second,
		Setup:    setup,
		Explore:  exploreSpec,
	})
}

func setup(w *sim.World, o protocols.Options) (*protocols.Instance, error) {
	servers := make([]sim.NodeID, o.Nodes)
	for i := range servers {
		self := i
		servers[i] = w.AddAgent(sim.AgentSpec{Name: fmt.Sprintf("n%d", i+1), New: func() sim.Agent {
			return newServer(self, servers, o.Bug)
		}})
	}
	for i := 0; i < o.Clients; i++ {
		index := i
		w.AddAgent(sim.AgentSpec{Name: fmt.Sprintf("c%d", i+1), New: func() sim.Agent {
			return &Client{index: index, servers: servers, opsMax: o.Ops}
		}})
	}
	c := newChecker(servers)
	w.AddProperty(sim.Property{Name: "no-duplicate-delivery", Kind: sim.Always, Check: c.noDuplicates})
	w.AddProperty(sim.Property{Name: "fifo-per-origin", Kind: sim.Always, Check: c.fifo})
	w.AddProperty(sim.Property{Name: "content-agrees", Kind: sim.Always, Check: c.contentAgrees})
	w.AddProperty(sim.Property{Name: "acknowledged-history", Kind: sim.AtEnd, Check: acknowledgedHistory})
	w.AddProperty(sim.Property{Name: "all-delivered", Kind: sim.Eventually, Check: c.allDelivered})
	w.AddProperty(sim.Property{Name: "acknowledged-delivered", Kind: sim.Eventually, Check: c.ackedDelivered})
	w.AddProperty(sim.Property{Name: "alive-sets-agree", Kind: sim.Eventually, Check: c.aliveAgree})
	if len(servers) > 1 { // a lone server has no one to relay from
		w.AddProperty(sim.Property{Name: "relayed-delivery", Kind: sim.Sometimes, Check: c.relayed})
	}
	return &protocols.Instance{
		Servers:   servers,
		Tolerates: len(servers) - 1, // broadcast needs no quorum
		// All but one may stay down for good: the live ones must still
		// deliver and must drop the dead from their alive sets.
		DownForGoodMax: len(servers) - 1,
		Describe: func(w *sim.World, id sim.NodeID) string {
			if s, ok := w.Agent(id).(*Server); ok {
				return s.Describe()
			}
			return sim.Describe(w.Agent(id))
		},
	}, nil
}

// ServerOf returns the server agent with the given id, or nil if it is down or not a
// chat server.
func ServerOf(w *sim.World, id sim.NodeID) *Server {
	s, _ := w.Agent(id).(*Server)
	return s
}

// AliveNames renders a server's alive set as agent names.
func AliveNames(w *sim.World, id sim.NodeID) []string {
	s := ServerOf(w, id)
	if s == nil {
		return nil
	}
	var names []string
	for _, i := range s.Alive(w.LocalTime(id)) {
		names = append(names, w.Name(s.servers[i]))
	}
	return names
}

// checker holds the incremental state of the always-properties: per server,
// how much of its log has been verified, the entries it holds and the last
// sequence number delivered from each origin. A restarted server's recovered log
// is verified afresh.
type checker struct {
	servers []sim.NodeID
	state   []serverCheck
	texts   map[[2]int]textAt // (origin, seq) → the first text delivered for it
}

type serverCheck struct {
	checked        int            // log entries verified by both properties
	contentChecked int            // log entries verified by contentAgrees
	delivered      map[[2]int]int // (origin, seq) → position in the log
	last           []int          // last seq delivered from each origin
}

func newChecker(servers []sim.NodeID) *checker {
	c := &checker{servers: servers, state: make([]serverCheck, len(servers)), texts: map[[2]int]textAt{}}
	for i := range c.state {
		c.reset(i)
	}
	return c
}

func (c *checker) reset(i int) {
	c.state[i] = serverCheck{delivered: map[[2]int]int{}, last: make([]int, len(c.servers))}
}

func (c *checker) current(w *sim.World) (int, *Server) {
	i := slices.Index(c.servers, w.Current())
	if i < 0 {
		return -1, nil
	}
	s := ServerOf(w, w.Current())
	if s == nil || len(s.log) < c.state[i].checked {
		c.reset(i) // restarted: the recovered log is verified afresh
	}
	return i, s
}

// noDuplicates: no server delivers the same (origin, seq) twice.
func (c *checker) noDuplicates(w *sim.World) error {
	i, s := c.current(w)
	if s == nil {
		return nil
	}
	st := &c.state[i]
	for k := st.checked; k < len(s.log); k++ {
		e := s.log[k]
		if first, dup := st.delivered[[2]int{e.Origin, e.Seq}]; dup && first != k {
			return fmt.Errorf("%s delivered %v twice (positions %d and %d)", w.Name(w.Current()), e, first, k)
		}
		st.delivered[[2]int{e.Origin, e.Seq}] = k
	}
	return nil
}

// fifo: each server delivers each origin's entries as 1, 2, 3, ... with no gap.
// It runs after noDuplicates and marks the new entries verified.
func (c *checker) fifo(w *sim.World) error {
	i, s := c.current(w)
	if s == nil {
		return nil
	}
	st := &c.state[i]
	for k := st.checked; k < len(s.log); k++ {
		e := s.log[k]
		if e.Seq != st.last[e.Origin]+1 {
			return fmt.Errorf("%s delivered %v after n%d#%d", w.Name(w.Current()), e, e.Origin+1, st.last[e.Origin])
		}
		st.last[e.Origin] = e.Seq
	}
	st.checked = len(s.log)
	return nil
}

// allDelivered: every live server has delivered every entry any live server has.
func (c *checker) allDelivered(w *sim.World) error {
	for o := range c.servers {
		best, who := 0, sim.External
		for _, id := range c.servers {
			if s := ServerOf(w, id); s != nil && s.next[o] > best {
				best, who = s.next[o], id
			}
		}
		for _, id := range c.servers {
			if s := ServerOf(w, id); s != nil && s.next[o] < best {
				return fmt.Errorf("%s has %d of n%d's messages, %s has %d", w.Name(id), s.next[o], o+1, w.Name(who), best)
			}
		}
	}
	return nil
}

// aliveAgree: every live server's alive set is exactly the set of live servers.
func (c *checker) aliveAgree(w *sim.World) error {
	var want []string
	for _, id := range c.servers {
		if w.Up(id) && ServerOf(w, id) != nil {
			want = append(want, w.Name(id))
		}
	}
	for _, id := range c.servers {
		if ServerOf(w, id) == nil {
			continue
		}
		if got := AliveNames(w, id); !slices.Equal(got, want) {
			return fmt.Errorf("%s sees alive %v, live servers are %v", w.Name(id), got, want)
		}
	}
	return nil
}

// relayed: some server delivered a message that originated elsewhere, so the run
// exercised broadcast at all.
func (c *checker) relayed(w *sim.World) error {
	_, s := c.current(w)
	if s != nil {
		for _, e := range s.log {
			if e.Origin != s.self {
				return nil
			}
		}
	}
	return errors.New("no server delivered a message from another origin")
}
