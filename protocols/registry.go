package protocols

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/orrery-sim/orrery/faults"
	"github.com/orrery-sim/orrery/internal/quote"
	"github.com/orrery-sim/orrery/sim"
)

// Options are what a user may vary in one run of a protocol.
type Options struct {
	Nodes   int    // servers (0: the protocol's default)
	Clients int    // workload clients (0: the protocol's default)
	Bug     string // planted bug to enable, "" for none
	// Params are protocol-specific settings by name (paxos: "q1", "q2"),
	// declared in Protocol.Params; Resolve rejects undeclared names. Nil:
	// defaults.
	Params map[string]string
	// Ops caps the operations each client issues (0: no cap). Protocols that
	// honour it let a shrinker cut a workload short; others ignore it.
	Ops int
	// Skip names operations the clients leave out (Protocol.Skips): a client
	// draws such an operation as usual, does not invoke it, and goes on to
	// the next as if it had completed after OpRef.For. It still counts
	// against Ops.
	// Only a protocol that declares Skips may be given one.
	Skip OpSet
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
	// DownForGoodMax is how many of the servers' boxes may stay down for
	// good in the liveness phase while the rest must still make progress
	// (and, where the protocol detects failures, detect them); a swarm run
	// draws how many, up to this. 0: every server comes back.
	DownForGoodMax int
	// Describe renders one agent's state for scenario output and -until (optional).
	Describe func(w *sim.World, id sim.NodeID) string
	// Reconfigure, when set, starts a change of the configuration in a running
	// world: the protocol opts into reconfigure faults, which plans may then
	// hold and the nemesis draws. Nil: the configuration is fixed.
	Reconfigure faults.Reconfigurer
	// Spares are the servers (also in Servers) outside the first configuration:
	// they run from the start so that they can join.
	Spares []sim.NodeID
	// Params are the values Setup chose for declared parameters that the
	// options left unset and whose Default is "" (derived from other
	// settings, as paxos's quorums), for the banner. Nil: none.
	Params map[string]string
}

// IsServer reports whether id is one of the instance's servers, spares
// included (a spare left out of Servers counts too): the agents that are not
// are its clients and other helpers.
func (inst *Instance) IsServer(id sim.NodeID) bool {
	return slices.Contains(inst.Servers, id) || slices.Contains(inst.Spares, id)
}

// Protocol is a protocol the harness can run: registered (Register) or handed
// directly to cli.Main, simtest.Spec or harness.Config.Impl.
type Protocol struct {
	Name     string
	Summary  string
	Nodes    int // default number of servers
	MinNodes int
	MaxNodes int
	Clients  int // default number of clients
	// MaxClients bounds the clients; 0 means ClientsMax.
	MaxClients int
	// SizeIgnored says that Setup takes its agents from elsewhere (a
	// cluster file) and ignores Options.Nodes and Clients, so a swarm run
	// draws neither.
	SizeIgnored bool
	// Skips says that the workload clients honour Options.Skip, so a
	// shrinker can drop operations from the middle of a client's workload.
	Skips bool
	Bugs  []Bug
	// Params declares the protocol's parameters (Options.Params).
	Params []Param
	// Safety and Liveness are the default phase lengths (virtual time).
	Safety, Liveness sim.Time
	// Network is the default network; zero means sim.DefaultNetwork.
	Network sim.NetworkConfig
	// Setup adds the agents, workload and properties to an empty world.
	Setup func(w *sim.World, o Options) (*Instance, error)
	// Explore, when set, makes the protocol explorable by the model checker
	// (simrun -explore -protocol); nil means it is not.
	Explore func(o Options) (*ExploreSpec, error)
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
	return nil, fmt.Errorf("unknown protocol %s (known: %s)", quote.Q(name), strings.Join(Names(), ", "))
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

// Limits on every protocol's options, so that a typo is refused up front
// instead of failing deep inside a run: servers and clients together stay
// under the world's agent bound (sim.DefaultLimits.NodesMax), and clients
// times operations under its history bound.
const (
	NodesMax   = 256     // servers, for a protocol whose MaxNodes is 0
	ClientsMax = 256     // clients, for a protocol whose MaxClients is 0
	OpsMax     = 1 << 14 // operations per client (Options.Ops)
)

// Limits returns the most servers and clients p takes.
func (p *Protocol) Limits() (nodesMax, clientsMax int) {
	nodesMax, clientsMax = p.MaxNodes, p.MaxClients
	if nodesMax <= 0 {
		nodesMax = NodesMax
	}
	if clientsMax <= 0 {
		clientsMax = ClientsMax
	}
	return nodesMax, clientsMax
}

// Resolve fills defaults into o and validates it against p.
func (p *Protocol) Resolve(o Options) (Options, error) {
	if o.Nodes == 0 {
		o.Nodes = p.Nodes
	}
	if o.Clients == 0 {
		o.Clients = p.Clients
	}
	nodesMax, clientsMax := p.Limits()
	if o.Nodes < p.MinNodes || o.Nodes > nodesMax {
		return o, fmt.Errorf("protocol %s needs %d to %d nodes, got %d", p.Name, p.MinNodes, nodesMax, o.Nodes)
	}
	if o.Clients < 0 || o.Clients > clientsMax {
		if p.Clients > 0 { // 0 asks for the default
			return o, fmt.Errorf("protocol %s takes 1 to %d clients (0: its default, %d), got %d", p.Name, clientsMax, p.Clients, o.Clients)
		}
		return o, fmt.Errorf("protocol %s takes 0 to %d clients, got %d", p.Name, clientsMax, o.Clients)
	}
	if o.Ops < 0 || o.Ops > OpsMax {
		return o, fmt.Errorf("want 0 (no cap) to %d operations per client, got %d", OpsMax, o.Ops)
	}
	if len(o.Skip) > 0 && !p.Skips {
		return o, fmt.Errorf("protocol %s's clients do not skip operations (skip %s)", p.Name, o.Skip)
	}
	params, err := p.checkParams(o.Params)
	if err != nil {
		return o, err
	}
	o.Params = params
	if o.Bug != "" && !slices.ContainsFunc(p.Bugs, func(b Bug) bool { return b.Name == o.Bug }) {
		names := make([]string, len(p.Bugs))
		for i, b := range p.Bugs {
			names[i] = b.Name
		}
		return o, fmt.Errorf("protocol %s has no bug %s (known: %s)", p.Name, quote.Q(o.Bug), strings.Join(names, ", "))
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
