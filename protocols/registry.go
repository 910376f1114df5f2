package protocols

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/orrery-sim/orrery/sim"
)

// Options are what a user may vary in one run of a protocol.
type Options struct {
	Nodes   int    // servers (0: the protocol's default)
	Clients int    // workload clients (0: the protocol's default)
	Bug     string // planted bug to enable, "" for none
	// Params are protocol-specific settings by name (paxos: "q1", "q2"); a
	// protocol reads the ones it knows and rejects unknown names. Nil: defaults.
	Params map[string]string
	// Ops caps the operations each client issues (0: no cap). Protocols that
	// honour it let a shrinker cut a workload short; others ignore it.
	Ops int
}

// Bug is a planted bug: a faithful re-creation of a real bug class that some
// checker must catch.
type Bug struct {
	Name    string
	Summary string
}

// Instance is what Setup built: which agents the nemesis may fault.
type Instance struct {
	// Servers are the agents whose boxes the nemesis may crash, pause, partition
	// and skew. Clients are left alone so that the history stays meaningful.
	Servers []sim.NodeID
	// Tolerates is how many of the servers' boxes may be down (crashed or paused)
	// at once without breaking the protocol's fault model.
	Tolerates int
	// Describe renders one agent's state for scenario output and -until (optional).
	Describe func(w *sim.World, id sim.NodeID) string
}

// Protocol is a registered protocol.
type Protocol struct {
	Name     string
	Summary  string
	Nodes    int // default number of servers
	MinNodes int
	MaxNodes int
	Clients  int // default number of clients
	Bugs     []Bug
	// Safety and Liveness are the default phase lengths (virtual time).
	Safety, Liveness sim.Time
	// Network is the default network; zero means sim.DefaultNetwork.
	Network sim.NetworkConfig
	// Setup adds the agents, workload and properties to an empty world.
	Setup func(w *sim.World, o Options) (*Instance, error)
	// Explore, when set, makes the protocol explorable by the model checker
	// (simrun -explore -protocol); nil means it is not.
	Explore func(o Options) (*ExploreSpec, error)
	// Constants are settings a shrinker may lower through Params.
	Constants []Constant
}

var registry = map[string]*Protocol{}

// Register adds a protocol. It panics on a duplicate name (a programming error).
func Register(p *Protocol) {
	if _, dup := registry[p.Name]; dup {
		panic("protocols: registered twice: " + p.Name)
	}
	registry[p.Name] = p
}

// Lookup finds a protocol by name.
func Lookup(name string) (*Protocol, error) {
	if p, ok := registry[name]; ok {
		return p, nil
	}
	return nil, fmt.Errorf("unknown protocol %q (known: %s)", name, strings.Join(Names(), ", "))
}

// Names lists registered protocols, sorted.
func Names() []string {
	names := make([]string, 0, len(registry))
	for n := range registry { // lint:ordered sorted below
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Resolve fills defaults into o and validates it against p.
func (p *Protocol) Resolve(o Options) (Options, error) {
	if o.Nodes == 0 {
		o.Nodes = p.Nodes
	}
	if o.Clients == 0 {
		o.Clients = p.Clients
	}
	if o.Nodes < p.MinNodes || (p.MaxNodes > 0 && o.Nodes > p.MaxNodes) {
		return o, fmt.Errorf("protocol %s needs %d to %d nodes, got %d", p.Name, p.MinNodes, p.MaxNodes, o.Nodes)
	}
	if o.Ops < 0 {
		return o, fmt.Errorf("negative operations per client %d", o.Ops)
	}
	if o.Clients < 0 {
		return o, fmt.Errorf("negative number of clients %d", o.Clients)
	}
	if o.Bug != "" && !slices.ContainsFunc(p.Bugs, func(b Bug) bool { return b.Name == o.Bug }) {
		names := make([]string, len(p.Bugs))
		for i, b := range p.Bugs {
			names[i] = b.Name
		}
		return o, fmt.Errorf("protocol %s has no bug %q (known: %s)", p.Name, o.Bug, strings.Join(names, ", "))
	}
	return o, nil
}

// Ensure registers p unless that very protocol is already registered, so a
// program may hand its protocols to cli.Main whether or not a package init
// registered them. A different protocol of the same name is an error.
func Ensure(p *Protocol) error {
	if p == nil || p.Name == "" {
		return fmt.Errorf("a protocol needs a name")
	}
	if q, ok := registry[p.Name]; ok {
		if q == p {
			return nil
		}
		return fmt.Errorf("two protocols are named %q", p.Name)
	}
	registry[p.Name] = p
	return nil
}
