package harness

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/orrery-sim/orrery/faults"
	"github.com/orrery-sim/orrery/internal/version"
	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/scheduler"
	"github.com/orrery-sim/orrery/sim"
	"github.com/orrery-sim/orrery/traces"
)

// Config fully describes a run, given the scheduler's choices. Zero fields take
// the protocol's defaults when the run is prepared (Resolve), and the resolved
// Config is what a trace header records.
type Config struct {
	Protocol string   `json:"protocol"`
	Seed     uint64   `json:"seed"`
	Nodes    int      `json:"nodes"`
	Clients  int      `json:"clients"`
	Bug      string   `json:"bug,omitempty"`
	Safety   sim.Time `json:"safety_ns"`
	Liveness sim.Time `json:"liveness_ns"`
	Faults   string   `json:"faults"`
	DelayMin sim.Time `json:"delay_min_ns"`
	DelayMax sim.Time `json:"delay_max_ns"`
	FIFO     bool     `json:"fifo"`
	// Params are protocol-specific settings (protocols.Options.Params).
	Params map[string]string `json:"params,omitempty"`
	// Ops caps the operations each client issues (0: no cap), for protocols
	// that honour it (protocols.Options.Ops); the shrinker lowers it.
	Ops int `json:"ops,omitempty"`
	// EndAfter ends the run after that many events, in whichever phase, and
	// judges the end-of-run properties there (sim.World.EndAfter; 0: no
	// bound). The shrinker sets it for a safety failure judged at the end.
	EndAfter uint64 `json:"end_after,omitempty"`
	// Skip names client operations left out of the workload, "c1#2,c2#1"
	// (protocols.Options.Skip), for protocols whose clients honour it
	// (protocols.Protocol.Skips); the shrinker drops operations with it.
	Skip string `json:"skip,omitempty"`
	// StartAt starts agents other than servers (workload clients) late,
	// "c1=200ms,c2=150ms" (Starts; sim.World.StartLate): a client that
	// starts once the cluster has settled skips the retries of one waiting
	// for a leader. The shrinker starts clients as late as a failure lets it.
	StartAt string `json:"start_at,omitempty"`
	// Scheduler picks the chooser of a seeded run: "" or "seeded" (one PCG
	// stream per purpose), "pct" (PCT-style node priorities, PCTDepth), or
	// "rapid", "fuzz" or "splice" (choices drawn by a simtest property test,
	// a fuzz tape or a guided search: only its trace replays). See NewChooser.
	Scheduler string `json:"scheduler,omitempty"`
	// PCTDepth is PCT's bug depth d (d-1 priority change points); 0: 3.
	PCTDepth int `json:"pct_depth,omitempty"`
	// SwarmCluster makes the seed draw the cluster too (see drawCluster):
	// the nodes and clients left at 0, within the protocol's declared
	// ranges, and which servers stay down for good in the liveness phase
	// (up to Instance.DownForGoodMax). The drawn values are written into
	// the config, so the trace header, the reproduce line and -replay
	// carry them. Under swarm faults it is the default (Resolve sets it)
	// unless FixedCluster says otherwise.
	SwarmCluster bool `json:"swarm_cluster,omitempty"`
	// FixedCluster keeps a swarm run's cluster as given: the protocol's
	// default nodes and clients, every server back for the liveness phase.
	FixedCluster bool `json:"fixed_cluster,omitempty"`
	// Drawn says what SwarmCluster drew, and from which ranges ("nodes
	// 3..5, clients 1..3"); "" when nothing was.
	Drawn string `json:"drawn,omitempty"`
	// DownForGood lists the servers (indexes into the protocol's servers,
	// from 0) whose boxes stay down for good in the liveness phase;
	// SwarmCluster draws it when nil.
	DownForGood []int `json:"down_for_good,omitempty"`
	// Impl, when set, is the protocol to run, registered or not; Protocol
	// still names it (Resolve fills it in when empty). Nil: Protocol is
	// looked up in the registry. It is not part of the trace header: a
	// replay needs the protocol again, from the registry (cli.Main) or from
	// the test that defines it (simtest.Replay).
	Impl *protocols.Protocol `json:"-"`
}

// Resolve fills in defaults from the protocol (Impl, or the registered one
// that Protocol names) and validates the config.
func (c Config) Resolve() (Config, *protocols.Protocol, error) {
	if c.Impl != nil {
		return c.ResolveFor(c.Impl)
	}
	p, err := protocols.Lookup(c.Protocol)
	if err != nil {
		return c, nil, err
	}
	return c.ResolveFor(p)
}

// ResolveFor is Resolve for a protocol given directly, registered or not; the
// resolved config carries it as Impl.
func (c Config) ResolveFor(p *protocols.Protocol) (Config, *protocols.Protocol, error) {
	if c.Protocol == "" {
		c.Protocol = p.Name
	}
	if c.Protocol != p.Name {
		return c, nil, fmt.Errorf("config names protocol %q, but runs %q", c.Protocol, p.Name)
	}
	c.Impl = p
	if c.SwarmCluster && c.FixedCluster {
		return c, nil, errors.New("the cluster cannot be both drawn (swarm_cluster) and fixed (fixed_cluster)")
	}
	c.SwarmCluster = c.SwarmCluster || (!c.FixedCluster && strings.TrimSpace(c.Faults) == "swarm")
	c = drawCluster(c, p)
	skip, err := protocols.ParseOpSet(c.Skip)
	if err != nil {
		return c, nil, fmt.Errorf("skip: %v", err)
	}
	c.Skip = skip.String()
	starts, err := ParseStarts(c.StartAt)
	if err != nil {
		return c, nil, fmt.Errorf("start-at: %v", err)
	}
	c.StartAt = starts.String()
	o, err := p.Resolve(c.ProtocolOptions())
	if err != nil {
		return c, nil, err
	}
	c.Nodes, c.Clients, c.Params = o.Nodes, o.Clients, o.Params
	if c.Safety == 0 {
		c.Safety = p.Safety
	}
	if c.Liveness == 0 {
		c.Liveness = p.Liveness
	}
	if c.Faults == "" {
		c.Faults = "none"
	}
	net := p.Network
	if net == (sim.NetworkConfig{}) {
		net = sim.DefaultNetwork
	}
	if c.DelayMax == 0 {
		c.DelayMin, c.DelayMax, c.FIFO = net.DelayMin, net.DelayMax, c.FIFO || net.FIFO
	}
	if c.DelayMin < 0 || c.DelayMin > c.DelayMax {
		return c, nil, fmt.Errorf("network delay %v..%v: want 0 <= min <= max", c.DelayMin, c.DelayMax)
	}
	if c.Safety <= 0 || c.Liveness < 0 {
		return c, nil, fmt.Errorf("run lengths must be positive (safety %v, liveness %v)", c.Safety, c.Liveness)
	}
	return c, p, nil
}

// Outcome is the result of one run plus what the banner shows.
type Outcome struct {
	Config  Config
	Options []traces.Option // every derived option, in banner order
	Result  sim.Result
	World   *sim.World // the finished world, for inspection
}

// RunOptions say how Run executes a config. Chooser, when non-nil, replaces the
// one the config names (a replay, a property test's choices); Trace, when
// non-nil, receives the trace file.
type RunOptions struct {
	Chooser scheduler.Chooser
	Trace   io.Writer
	// Observe, when non-nil, sees every traced event (implies tracing).
	Observe func(*traces.Event)
	// Until stops the run after the step that emits event Until (0: no
	// limit), for -until. The run is the ordinary one up to there: safety
	// phase, liveness phase with its heal, end-of-run checks.
	Until uint64
	// Ready, when non-nil, sees the world once it is set up and before it
	// runs, so that Observe can inspect agents as their events happen
	// (simrun -step).
	Ready func(*sim.World)
	// Protocol, when non-nil, is run instead of Config.Impl or looking
	// Config.Protocol up in the registry (as Config.Impl does).
	Protocol *protocols.Protocol
}

// Run prepares and runs one configuration.
func Run(cfg Config, o RunOptions) (*Outcome, error) {
	var p *protocols.Protocol
	var err error
	if o.Protocol != nil {
		cfg.Impl = o.Protocol
	}
	cfg, p, err = cfg.Resolve()
	if err != nil {
		return nil, err
	}
	chooser := o.Chooser
	if chooser == nil {
		if chooser, err = NewChooser(cfg); err != nil {
			return nil, err
		}
	}
	w := sim.New(sim.Options{Chooser: chooser, Network: sim.NetworkConfig{DelayMin: cfg.DelayMin, DelayMax: cfg.DelayMax, FIFO: cfg.FIFO}})
	w.JudgeSometimesOverCampaign() // coverage is judged over a campaign (Campaign)
	var tw *traces.Writer
	var pending []traces.Event // events before the header is known
	if o.Trace != nil || o.Observe != nil {
		w.SetTrace(func(e *traces.Event) {
			if o.Observe != nil {
				o.Observe(e)
			}
			if tw != nil {
				tw.Event(e)
			} else if o.Trace != nil {
				pending = append(pending, *e)
			}
		})
	}
	out := &Outcome{Config: cfg, World: w}
	panicked, err := prepare(w, p, cfg, out)
	if err != nil {
		return nil, err
	}
	cfg = out.Config // with what the setup drew
	if o.Trace != nil {
		raw, _ := json.Marshal(cfg)
		tw = traces.NewWriter(o.Trace, &traces.Header{Format: traces.FormatVersion, Protocol: cfg.Protocol, Seed: cfg.Seed, Config: raw, Options: out.Options, Version: version.String()})
		for i := range pending {
			tw.Event(&pending[i])
		}
	}
	if o.Ready != nil && !panicked {
		o.Ready(w)
	}
	if !panicked { // else out.Result is the setup's panic
		out.Result = runPhases(w, cfg, o.Until)
	}
	if tw != nil {
		r := &out.Result
		err := tw.Close(&traces.Footer{Verdict: r.Verdict.String(), Property: r.Property, Reason: r.Reason, Events: r.Events, End: int64(r.End), Hash: r.HashString()})
		if err != nil {
			return out, fmt.Errorf("writing trace: %v", err)
		}
	}
	return out, nil
}

// prepare sets the protocol up on w and installs the faults, filling in the
// banner options. A panic there (a protocol whose setup cannot take the
// settings) becomes the run's Panic verdict in out.Result, as one during the
// run does, so that a sweep reports the seed instead of dying with it.
func prepare(w *sim.World, p *protocols.Protocol, cfg Config, out *Outcome) (panicked bool, err error) {
	defer func() {
		if r := recover(); r != nil {
			panicked = true
			out.Result = sim.Result{Verdict: sim.VerdictPanic, Property: "panic", Reason: fmt.Sprintf("setup: %v", r), Stack: string(debug.Stack())}
		}
	}()
	inst, err := p.Setup(w, cfg.ProtocolOptions())
	if err != nil {
		return false, fmt.Errorf("protocol %s: %v", p.Name, err)
	}
	if err := startLate(w, cfg, inst); err != nil {
		return false, err
	}
	if err := checkSkip(w, cfg, inst); err != nil {
		return false, err
	}
	down, err := downForGood(&out.Config, inst)
	if err != nil {
		return false, err
	}
	fopts, err := faults.Install(w, faults.Options{Spec: cfg.Faults, Servers: inst.Servers, Tolerates: inst.Tolerates, Safety: cfg.Safety,
		Reconfigure: inst.Reconfigure, Spares: inst.Spares, DownForGood: down})
	if err != nil {
		return false, err
	}
	out.Options = append(append(banner(out.Config, p, inst), schedulerOptions(cfg)...), fopts...)
	return false, nil
}

func runPhases(w *sim.World, cfg Config, until uint64) sim.Result {
	w.StopAfter(until)
	w.EndAfter(cfg.EndAfter)
	return w.Run(cfg.Safety, cfg.Liveness)
}

func banner(cfg Config, p *protocols.Protocol, inst *protocols.Instance) []traces.Option {
	bug := cfg.Bug
	if bug == "" {
		bug = "none"
	}
	fifo := "unordered"
	if cfg.FIFO {
		fifo = "fifo"
	}
	opts := []traces.Option{
		{Key: "protocol", Value: cfg.Protocol},
		{Key: "seed", Value: strconv.FormatUint(cfg.Seed, 10)},
		{Key: "nodes", Value: strconv.Itoa(cfg.Nodes)},
		{Key: "clients", Value: strconv.Itoa(cfg.Clients)},
		{Key: "bug", Value: bug},
		{Key: "safety", Value: cfg.Safety.String()},
		{Key: "liveness", Value: cfg.Liveness.String()},
		{Key: "network", Value: fmt.Sprintf("%v..%v %s", cfg.DelayMin, cfg.DelayMax, fifo)},
		{Key: "tolerates", Value: strconv.Itoa(inst.Tolerates)},
	}
	if cfg.Drawn != "" {
		opts = append(opts, traces.Option{Key: "drawn", Value: cfg.Drawn + " (swarm)"})
	}
	if cfg.Ops != 0 {
		opts = append(opts, traces.Option{Key: "ops", Value: strconv.Itoa(cfg.Ops) + " per client"})
	}
	if cfg.EndAfter != 0 {
		opts = append(opts, traces.Option{Key: "end after", Value: strconv.FormatUint(cfg.EndAfter, 10) + " events"})
	}
	if cfg.Skip != "" {
		opts = append(opts, traces.Option{Key: "skip", Value: cfg.Skip})
	}
	if cfg.StartAt != "" {
		opts = append(opts, traces.Option{Key: "start at", Value: cfg.StartAt})
	}
	return append(opts, paramOptions(cfg, p, inst)...)
}

// ProtocolOptions are the options a run of c gives its protocol. A Skip
// that does not parse (Resolve reports it) skips nothing.
func (c Config) ProtocolOptions() protocols.Options {
	skip, _ := protocols.ParseOpSet(c.Skip)
	return protocols.Options{Nodes: c.Nodes, Clients: c.Clients, Bug: c.Bug, Params: c.Params, Ops: c.Ops, Skip: skip}
}

// paramOptions shows every declared parameter with the value the run used:
// the given one, or the one Setup derived, or the declared default.
func paramOptions(cfg Config, p *protocols.Protocol, inst *protocols.Instance) []traces.Option {
	var opts []traces.Option
	for _, d := range p.Params {
		v, ok := cfg.Params[d.Name]
		if !ok {
			if v, ok = inst.Params[d.Name]; !ok {
				v = d.Default
			}
		}
		if v == "" {
			continue
		}
		if len(v) > paramShownBytesMax {
			v = v[:paramShownBytesMax] + fmt.Sprintf("... (%d bytes)", len(v))
		}
		opts = append(opts, traces.Option{Key: "param." + d.Name, Value: v})
	}
	return opts
}

// paramShownBytesMax bounds a parameter's value in the banner (a cluster file is
// a parameter too).
const paramShownBytesMax = 60
