package twopc

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/sim"
)

// Timing and size limits.
const (
	tickInterval    = 50 * sim.Millisecond  // re-sends and timeouts are checked this often
	voteTimeout     = 300 * sim.Millisecond // an undecided transaction aborts after this
	askAfter        = 200 * sim.Millisecond // a prepared participant waits this long before asking
	askEvery        = 200 * sim.Millisecond // and asks again this often
	voteNoOneIn     = 10                    // a participant refuses one transaction in this many
	participantsMax = 63                    // votes and acks are bitmasks of agent ids
)

// Timer names.
const (
	timerTick  = "tick"
	timerIssue = "issue"
	timerRetry = "retry"
)

// config is what every agent of a run shares.
type config struct {
	participants int
	bug          string
}

func init() {
	protocols.Register(&protocols.Protocol{
		Name:     "twopc",
		Summary:  "two-phase commit with write-ahead logs, recovery and cooperative termination; nodes = participants",
		Nodes:    3,
		MinNodes: 1,
		MaxNodes: 8,
		Clients:  2,
		Bugs:     bugs,
		Safety:   10 * sim.Second,
		Liveness: 10 * sim.Second,
		Setup:    setup,
		Explore:  exploreSpec,
	})
}

// setup adds the coordinator (id 0), participants p1..pN (ids 1..N) and
// clients c1..cK. The coordinator is a server the nemesis may crash: its
// recovery is half of what is tested. Two-phase commit is safe under any
// crashes but blocks while the coordinator is down, so the nemesis keeps at
// most 1 + N/2 of the N+1 server boxes down at once: the coordinator and half
// the participants, say, leaving peers for the termination protocol to ask.
func setup(w *sim.World, o protocols.Options) (*protocols.Instance, error) {
	if o.Nodes < 1 || o.Nodes > participantsMax {
		return nil, fmt.Errorf("twopc needs 1 to %d participants, got %d", participantsMax, o.Nodes)
	}
	if len(o.Params) > 0 {
		return nil, fmt.Errorf("twopc has no parameters (got %v)", o.Params)
	}
	cfg := &config{participants: o.Nodes, bug: o.Bug}
	servers := []sim.NodeID{w.AddAgent(sim.AgentSpec{Name: name(coordinatorID), New: func() sim.Agent { return &coordinator{cfg: cfg} }})}
	if servers[0] != coordinatorID {
		return nil, fmt.Errorf("twopc must be set up in an empty world (coordinator got id %d)", servers[0])
	}
	for i := 1; i <= o.Nodes; i++ {
		servers = append(servers, w.AddAgent(sim.AgentSpec{Name: name(sim.NodeID(i)), New: func() sim.Agent { return &participant{cfg: cfg} }}))
	}
	for i := 0; i < o.Clients; i++ {
		n := fmt.Sprintf("c%d", i+1)
		w.AddAgent(sim.AgentSpec{Name: n, New: func() sim.Agent { return &Client{name: n, participants: o.Nodes, opsMax: o.Ops} }})
	}
	addProperties(w, newTracker(o.Nodes), o.Clients > 0)
	w.AddProperty(logDurable(servers).Property(PropLogDurable))
	return &protocols.Instance{Servers: servers, Tolerates: 1 + o.Nodes/2, Describe: Describe}, nil
}

// Describe renders an agent for scenario output: the coordinator's
// unfinished transactions and tallies, a participant's prepared transactions,
// tallies and values.
func Describe(w *sim.World, id sim.NodeID) string {
	switch a := w.Agent(id).(type) {
	case *coordinator:
		return a.describe()
	case *participant:
		return a.describe()
	case nil:
		return "down"
	}
	return sim.Describe(w.Agent(id))
}

func (c *coordinator) describe() string {
	var commits, aborts int
	var open []string
	for _, t := range c.active {
		open = append(open, t.String()+":"+c.txns[t].Decision.String())
	}
	for _, tx := range c.txns { // lint:ordered counting
		switch tx.Decision {
		case Commit:
			commits++
		case Abort:
			aborts++
		}
	}
	return fmt.Sprintf("begun=%d committed=%d aborted=%d unfinished=[%s]", c.last, commits, aborts, strings.Join(open, " "))
}

func (p *participant) describe() string {
	var commits, aborts int
	for _, tx := range p.txns { // lint:ordered counting
		switch tx.State {
		case stateCommitted:
			commits++
		case stateAborted:
			aborts++
		}
	}
	var prepared, kv []string
	for _, t := range p.prepared {
		prepared = append(prepared, t.String())
	}
	keys := make([]string, 0, len(p.data))
	for k := range p.data { // lint:ordered sorted below
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		kv = append(kv, k+"="+strconv.Quote(p.data[k]))
	}
	return fmt.Sprintf("committed=%d aborted=%d prepared=[%s] kv={%s}", commits, aborts, strings.Join(prepared, " "), strings.Join(kv, " "))
}
