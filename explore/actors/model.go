package actors

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/orrery-sim/orrery/explore"
	"github.com/orrery-sim/orrery/internal/assert"
	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/scheduler"
	"github.com/orrery-sim/orrery/sim"
)

// Network is the network's semantics under exploration.
type Network uint8

// The network semantics, after Stateright.
const (
	// Unordered: the messages in flight are a multiset; any one may arrive next.
	Unordered Network = iota
	// Duplicating: a set; delivering a message keeps it in flight, so it may
	// arrive again, any number of times.
	Duplicating
	// FIFO: one queue per link (sender, receiver); only heads arrive.
	FIFO
	// Lossy: Unordered, and any message in flight may also be dropped.
	Lossy
)

var networkNames = [...]string{"unordered", "dup", "fifo", "lossy"}

func (n Network) String() string { return networkNames[n] }

// ParseNetwork is the inverse of Network.String.
func ParseNetwork(s string) (Network, error) {
	if i := slices.Index(networkNames[:], s); i >= 0 {
		return Network(i), nil
	}
	return 0, fmt.Errorf("unknown network %q (want unordered, dup, fifo or lossy)", s)
}

// Config describes what to explore.
type Config struct {
	// Name names the model in results.
	Name string
	// Setup builds the agents and properties in an empty world (see
	// protocols.ExploreSpec.Setup). It is called once per checker goroutine
	// and must build the same world every time.
	Setup func(w *sim.World) (*protocols.Instance, error)
	// Requests are client operations injected in order, each to any server
	// (or, with RequestsToClients, any agent that is not a server).
	Requests          []any
	RequestsToClients bool
	// OrderedHistory stamps operations with logical times (ExploreSpec).
	OrderedHistory bool
	// WithinBounds is the state constraint (nil: none).
	WithinBounds func(w *sim.World) bool
	// Fires filters the armed timers that may fire (nil: all).
	Fires func(w *sim.World, id sim.NodeID, timer string) bool
	// Chooser answers agent randomness (nil: scheduler.Zero).
	Chooser scheduler.Chooser
	// Normalize clears an agent's dead state after each handler (nil: none).
	Normalize func(a sim.Agent)
	// AgentWithinBounds bounds each agent that is up (nil: none).
	AgentWithinBounds func(a sim.Agent) bool
	// Accepts prunes request targets (nil: none); AcceptsRequest, when set,
	// does so with the request in view, instead.
	Accepts        func(w *sim.World, id sim.NodeID) bool
	AcceptsRequest func(w *sim.World, id sim.NodeID, request any) bool
	// InFlightMax: states with more messages in flight are not expanded (0:
	// no bound).
	InFlightMax int
	Network     Network
	// CrashesMax bounds the crashes of one run; a crash needs fewer than the
	// Instance's Tolerates server boxes down.
	CrashesMax int
	// DepthMax is the depth bound to use when the caller sets none (0: none).
	DepthMax int
	// TimeMax turns the states' virtual clock on and bounds it (see
	// protocols.ExploreSpec.TimeMax; 0: the clock reads 0).
	TimeMax sim.Time
}

// ErrNotExplorable is returned for a protocol without an ExploreSpec.
var ErrNotExplorable = errors.New("protocol cannot be explored (it has no ExploreSpec)")

// FromProtocol configures the exploration of a registered protocol with the
// options o (resolved against the protocol's defaults).
func FromProtocol(p *protocols.Protocol, o protocols.Options, network Network, crashesMax int) (Config, error) {
	if p.Explore == nil {
		return Config{}, fmt.Errorf("%s: %w", p.Name, ErrNotExplorable)
	}
	o, err := p.Resolve(o)
	if err != nil {
		return Config{}, err
	}
	spec, err := p.Explore(o)
	if err != nil {
		return Config{}, fmt.Errorf("%s: %v", p.Name, err)
	}
	name := fmt.Sprintf("%s(nodes=%d", p.Name, o.Nodes)
	if o.Bug != "" {
		name += " bug=" + o.Bug
	}
	name += fmt.Sprintf(" network=%s crashes=%d requests=%d)", network, crashesMax, len(spec.Requests))
	return Config{Name: name, Setup: spec.Setup, Requests: spec.Requests, WithinBounds: spec.WithinBounds,
		AgentWithinBounds: spec.AgentWithinBounds, RequestsToClients: spec.RequestsToClients, OrderedHistory: spec.OrderedHistory, InFlightMax: spec.InFlightMax, Fires: spec.Fires, Accepts: spec.Accepts, AcceptsRequest: spec.AcceptsRequest,
		Normalize: spec.Normalize, Chooser: spec.Chooser, Network: network, CrashesMax: crashesMax, DepthMax: spec.DepthMax, TimeMax: spec.TimeMax}, nil
}

// Model is a Config as an explore.Model[State, Action]. It is safe for
// concurrent use: each goroutine runs handlers in a sandbox of its own.
type Model struct {
	cfg       Config
	names     []string
	boxes     []box
	servers   []sim.NodeID
	targets   []sim.NodeID // of requests
	tolerates int
	// restartFair: every crashed box comes back (Instance.DownForGoodMax
	// is 0), so a restart is a fair action (fairness.go).
	restartFair bool
	props       []sim.Property
	trans       []sim.Transition
	pool        sync.Pool // *sandbox
	nodeParts   internTable[node]
	envelopes   internTable[envelope]
}

// box is a unit of failure: its agents crash and restart together.
type box struct {
	name      string
	agents    []sim.NodeID
	faultable bool // hosts a server
}

// sandbox is one goroutine's world: the handlers run and the properties look
// at states there, each sandbox with its own copy of the properties.
type sandbox struct {
	sb     *sim.Sandbox
	props  []sim.Property
	trans  []sim.Transition
	before []any // what each transition property read before a handler
	inst   *protocols.Instance
}

// New builds the model, running cfg.Setup once to learn the agents.
func New(cfg Config) (*Model, error) {
	if cfg.Setup == nil {
		return nil, errors.New("actors: Config.Setup is nil")
	}
	if cfg.CrashesMax < 0 {
		return nil, fmt.Errorf("negative crash budget %d", cfg.CrashesMax)
	}
	m := &Model{cfg: cfg}
	first, err := m.newSandbox()
	if err != nil {
		return nil, err
	}
	w := first.sb.World()
	for id := range w.Len() {
		m.names = append(m.names, w.Name(sim.NodeID(id)))
	}
	m.servers, m.tolerates, m.props, m.trans = first.inst.Servers, first.inst.Tolerates, first.props, first.trans
	m.restartFair = first.inst.DownForGoodMax == 0
	for _, name := range w.Boxes() {
		agents := w.BoxAgents(name)
		faultable := slices.ContainsFunc(agents, func(id sim.NodeID) bool { return slices.Contains(m.servers, id) })
		m.boxes = append(m.boxes, box{name: name, agents: agents, faultable: faultable})
	}
	m.targets = m.servers
	if cfg.RequestsToClients {
		m.targets = nil
		for id := range sim.NodeID(len(m.names)) {
			if !slices.Contains(m.servers, id) {
				m.targets = append(m.targets, id)
			}
		}
	}
	if len(cfg.Requests) > 0 && len(m.targets) == 0 {
		return nil, errors.New("actors: client requests but no agents to send them to")
	}
	m.pool.New = func() any {
		s, err := m.newSandbox()
		assert.That(err == nil, "actors: Setup failed on a second call: %v", err)
		return s
	}
	m.pool.Put(first)
	return m, nil
}

func (m *Model) newSandbox() (*sandbox, error) {
	var chooser scheduler.Chooser = scheduler.Zero{}
	if m.cfg.Chooser != nil {
		chooser = m.cfg.Chooser
	}
	w := sim.New(sim.Options{Chooser: chooser})
	inst, err := m.cfg.Setup(w)
	if err != nil {
		return nil, err
	}
	if inst == nil {
		inst = &protocols.Instance{}
	}
	return &sandbox{sb: sim.NewSandbox(w), props: w.Properties(), trans: w.Transitions(), inst: inst}, nil
}

// timed reports whether agents keep virtual clocks (Config.TimeMax).
func (m *Model) timed() bool { return m.cfg.TimeMax > 0 }

// TimeMax is the bound on the states' clock (Config.TimeMax; 0: untimed).
func (m *Model) TimeMax() sim.Time { return m.cfg.TimeMax }

// DownMax is the most server boxes the search has down at once: a crash
// needs fewer than the protocol's Tolerates (protocols.Instance) down, so
// that the search stays within the fault model the protocol claims, and
// only boxes that host a server crash. Config.CrashesMax counts crashes
// over a run; past DownMax they wait for a restart (none when DownMax is 0).
func (m *Model) DownMax() int {
	faultable := 0
	for _, b := range m.boxes {
		if b.faultable {
			faultable++
		}
	}
	return min(faultable, m.tolerates)
}

// Tolerates is the protocol's Tolerates (protocols.Instance): how many
// server boxes may be down at once within its fault model.
func (m *Model) Tolerates() int { return m.tolerates }

func (m *Model) get() *sandbox  { return m.pool.Get().(*sandbox) }
func (m *Model) put(s *sandbox) { m.pool.Put(s) }

// Name implements explore.Model.
func (m *Model) Name() string { return m.cfg.Name }

// DepthMax is the configuration's default depth bound (0: none).
func (m *Model) DepthMax() int { return m.cfg.DepthMax }

// Agents names the agents, by id.
func (m *Model) Agents() []string { return slices.Clone(m.names) }

// PanicProperty names the invariant that no handler panics, nor the Check of
// a reachability goal (a panicking invariant fails itself).
const PanicProperty = "no-panic"

// Properties implements explore.Model: the world's Always properties as
// invariants and its Sometimes properties as reachability goals, after the
// invariant that no handler panics; its Eventually properties as liveness
// properties (judged by a search with explore.Options.Liveness, under the
// fairness FairKey describes); then its transition properties, judged on
// every step the search takes (a state records the one its last step
// broke). AtEnd properties are skipped (see Skipped).
func (m *Model) Properties() []explore.Property[State] {
	props := []explore.Property[State]{explore.Always(PanicProperty, func(s State) bool { return s.panic == "" && m.sometimesPanic(s) == "" })}
	for i, p := range m.props {
		holds := func(s State) bool { return m.check(s, i) == nil }
		switch p.Kind {
		case sim.Always:
			props = append(props, explore.Always(p.Name, holds))
		case sim.Sometimes:
			props = append(props, explore.Sometimes(p.Name, holds))
		case sim.Eventually:
			props = append(props, explore.Eventually(p.Name, holds))
		}
	}
	for _, t := range m.trans {
		prefix := t.Name + ": "
		props = append(props, explore.Always(t.Name, func(s State) bool { return !strings.HasPrefix(s.broken, prefix) }))
	}
	return props
}

// Skipped lists the properties exploration does not check: AtEnd ones, and
// Eventually ones unless the search checks liveness.
func (m *Model) Skipped(liveness bool) []string {
	var out []string
	for _, p := range m.props {
		if (p.Kind == sim.Eventually && !liveness) || p.Kind == sim.AtEnd {
			out = append(out, p.Kind.String()+" "+p.Name)
		}
	}
	return out
}

// Count is the number of the world's properties of kind k.
func (m *Model) Count(k sim.PropertyKind) int {
	n := 0
	for _, p := range m.props {
		if p.Kind == k {
			n++
		}
	}
	return n
}

// check evaluates the i-th world property on s.
func (m *Model) check(s State, i int) error {
	sb := m.show(s)
	defer m.put(sb)
	return sb.sb.Check(sb.props[i])
}

// sometimesPanic says which Sometimes property's Check panics on s and how,
// "" if none: a goal whose check panics would otherwise just never be met.
func (m *Model) sometimesPanic(s State) string {
	for i, p := range m.props {
		if p.Kind != sim.Sometimes {
			continue
		}
		var pp *sim.PropertyPanic
		if err := m.check(s, i); errors.As(err, &pp) {
			return "property " + p.Name + " " + err.Error()
		}
	}
	return ""
}

// Explain says why each invariant fails in s, one line per failing property.
func (m *Model) Explain(s State) []string {
	var out []string
	if s.panic != "" {
		out = append(out, PanicProperty+": "+s.panic)
	}
	if why := m.sometimesPanic(s); why != "" {
		out = append(out, PanicProperty+": "+why)
	}
	if s.broken != "" {
		out = append(out, s.broken)
	}
	for i, p := range m.props {
		if p.Kind != sim.Always {
			continue
		}
		if err := m.check(s, i); err != nil {
			out = append(out, p.Name+": "+err.Error())
		}
	}
	return out
}

// show returns a sandbox whose world displays s, its clock included (0
// untimed).
func (m *Model) show(s State) *sandbox {
	sb := m.get()
	agents := make([]sim.Agent, len(s.nodes))
	storages := make([]*sim.Storage, len(s.nodes))
	for i, n := range s.nodes {
		agents[i], storages[i] = n.agent, n.storage
	}
	sb.sb.Show(agents, storages, s.historyOrEmpty(), s.now)
	return sb
}

// WithinBounds implements explore.Bounded: a state in which a handler
// panicked or a transition property failed is not expanded, nor one with more than InFlightMax messages in
// flight, nor one the configuration's constraints reject.
func (m *Model) WithinBounds(s State) bool {
	if s.panic != "" || s.broken != "" || (m.cfg.InFlightMax > 0 && len(s.net) > m.cfg.InFlightMax) {
		return false
	}
	if m.cfg.AgentWithinBounds != nil {
		for _, n := range s.nodes {
			if n.agent != nil && !m.cfg.AgentWithinBounds(n.agent) {
				return false
			}
		}
	}
	if m.cfg.WithinBounds == nil {
		return true
	}
	sb := m.show(s)
	defer m.put(sb)
	return m.cfg.WithinBounds(sb.sb.World())
}
