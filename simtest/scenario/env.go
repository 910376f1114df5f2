package scenario

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/orrery-sim/orrery/faults"
	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/scheduler"
	"github.com/orrery-sim/orrery/sim"
	"github.com/orrery-sim/orrery/traces"

	"github.com/orrery-sim/orrery/internal/quote"
)

// Command is a script command: it acts on the environment and returns what it
// prints. An error is printed as "error: ..." so that scripts can pin errors too.
type Command func(e *Env, args []string) (string, error)

// Options extend the built-in commands for one protocol.
type Options struct {
	// Commands are protocol-specific commands by name (e.g. "alive", "log").
	// A name may not shadow a built-in command or a fault kind.
	Commands map[string]Command
	// Payload turns the words after "submit NODE" into the request payload.
	// Nil sends the words joined by single spaces, as a string.
	Payload func(e *Env, words []string) (any, error)
}

// Env is the state a script drives: one world, built by the start command.
type Env struct {
	W      *sim.World
	Proto  *protocols.Protocol
	Inst   *protocols.Instance
	Faults *faults.Injector // applies fault commands and plans

	opts   Options
	events []traces.Event // emitted during the current command
}

// Limits of the runner.
const (
	deliverStepsMax = 100_000 // events deliver runs looking for a delivery
	stepCountMax    = 10_000  // events one step command may run
)

// NewEnv returns an environment with no world yet.
func NewEnv(o Options) *Env { return &Env{opts: o} }

type builtin func(e *Env, args []string, line string) (string, error)

var builtins map[string]builtin

func init() {
	builtins = map[string]builtin{
		"start": cmdStart, "run": cmdRun, "sleep": cmdRun, "step": cmdStep, "deliver": cmdDeliver,
		"submit": cmdSubmit, "state": cmdState, "check": cmdCheck, "history": cmdHistory,
		"counters": cmdCounters, "faults": cmdFaults, "heal-all": cmdHealAll,
	}
}

// Exec runs one command line and returns its output.
func (e *Env) Exec(line string) (string, error) {
	args := strings.Fields(line)
	if len(args) == 0 || strings.HasPrefix(args[0], "#") {
		return "", nil
	}
	name := args[0]
	_, isFault := faults.ParseKind(name)
	if b, ok := builtins[name]; ok || isFault == nil {
		if name != "start" && e.W == nil {
			return "", errors.New("no world yet: start one first (start protocol=NAME)")
		}
		if isFault == nil {
			b = cmdFault
		}
		return e.collect(func() (string, error) { return b(e, args[1:], line) })
	}
	if c, ok := e.opts.Commands[name]; ok {
		if e.W == nil {
			return "", errors.New("no world yet: start one first (start protocol=NAME)")
		}
		return e.collect(func() (string, error) { return c(e, args[1:]) })
	}
	return "", fmt.Errorf("unknown command %s", quote.Q(name))
}

// collect runs fn with the event buffer emptied before and flushed after.
func (e *Env) collect(fn func() (string, error)) (string, error) {
	e.events = e.events[:0]
	out, err := fn()
	if e.W != nil {
		e.W.FlushTrace()
	}
	return out, err
}

// Node resolves an agent name.
func (e *Env) Node(name string) (sim.NodeID, error) {
	if id, ok := e.W.Lookup(name); ok {
		return id, nil
	}
	return 0, fmt.Errorf("unknown node %s", quote.Q(name))
}

// Nodes resolves names; no names means every server.
func (e *Env) Nodes(names []string) ([]sim.NodeID, error) {
	if len(names) == 0 {
		return e.Inst.Servers, nil
	}
	var ids []sim.NodeID
	for _, n := range names {
		id, err := e.Node(n)
		if err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// Events renders the events emitted so far by the running command, keeping
// those of the given kinds (all when none are given).
func (e *Env) Events(kinds ...traces.Kind) string {
	e.W.FlushTrace()
	var lines []string
	for i := range e.events {
		if len(kinds) == 0 || slices.Contains(kinds, e.events[i].Kind) {
			lines = append(lines, e.events[i].Desc)
		}
	}
	return strings.Join(lines, "\n")
}

// cmdStart builds the world: start protocol=NAME [nodes=N] [clients=N] [seed=N]
// [bug=NAME] [delay=MIN..MAX] [fifo=true] [param.NAME=VALUE ...]. clients=0
// means no workload clients, so that only the script's requests happen;
// param.NAME sets a declared protocol parameter (as simrun -param does).
func cmdStart(e *Env, args []string, _ string) (string, error) {
	if e.W != nil {
		return "", errors.New("already started")
	}
	kv := map[string]string{"seed": "1"}
	var params map[string]string
	for _, a := range args {
		k, v, ok := strings.Cut(a, "=")
		if name, isParam := strings.CutPrefix(k, "param."); ok && isParam && name != "" {
			if params == nil {
				params = map[string]string{}
			}
			params[name] = v
			continue
		}
		if !ok || !slices.Contains([]string{"protocol", "nodes", "clients", "seed", "bug", "delay", "fifo"}, k) {
			return "", fmt.Errorf("start: bad argument %s (want protocol=, nodes=, clients=, seed=, bug=, delay=, fifo=, param.NAME=)", quote.Q(a))
		}
		kv[k] = v
	}
	p, err := protocols.Lookup(kv["protocol"])
	if err != nil {
		return "", err
	}
	var o protocols.Options
	var seed uint64
	for _, n := range []struct {
		key string
		dst *int
	}{{"nodes", &o.Nodes}, {"clients", &o.Clients}} {
		if v, ok := kv[n.key]; ok {
			if *n.dst, err = strconv.Atoi(v); err != nil {
				return "", fmt.Errorf("start: %s=%q is not a number", n.key, v)
			}
		}
	}
	if seed, err = strconv.ParseUint(kv["seed"], 10, 64); err != nil {
		return "", fmt.Errorf("start: seed=%q is not a number", kv["seed"])
	}
	o.Bug, o.Params = kv["bug"], params
	if o, err = p.Resolve(o); err != nil {
		return "", err
	}
	if kv["clients"] == "0" {
		o.Clients = 0 // Resolve reads 0 as "the default"; a script that says 0 means none
	}
	net, err := network(p, kv)
	if err != nil {
		return "", err
	}
	w := sim.New(sim.Options{Chooser: scheduler.NewSeeded(seed), Network: net})
	w.SetTrace(func(ev *traces.Event) { e.events = append(e.events, *ev) })
	inst, err := p.Setup(w, o)
	if err != nil {
		return "", err
	}
	e.W, e.Proto, e.Inst = w, p, inst
	e.Faults = faults.NewInjector(w, inst.Servers)
	e.Faults.SetReconfigurer(inst.Reconfigure)
	return e.describeStart(seed), nil
}

func network(p *protocols.Protocol, kv map[string]string) (sim.NetworkConfig, error) {
	net := p.Network
	if net == (sim.NetworkConfig{}) {
		net = sim.DefaultNetwork
	}
	if d, ok := kv["delay"]; ok {
		lo, hi, _ := strings.Cut(d, "..")
		min, err1 := sim.ParseDuration(lo)
		max, err2 := sim.ParseDuration(hi)
		if err1 != nil || err2 != nil || min > max {
			return net, fmt.Errorf("start: delay=%q (want MIN..MAX, e.g. 1ms..10ms)", d)
		}
		net.DelayMin, net.DelayMax = min, max
	}
	if f, ok := kv["fifo"]; ok {
		fifo, err := strconv.ParseBool(f)
		if err != nil {
			return net, fmt.Errorf("start: fifo=%q (want true or false)", f)
		}
		net.FIFO = fifo
	}
	return net, nil
}

func (e *Env) describeStart(seed uint64) string {
	var servers, others []string
	for id := 0; id < e.W.Len(); id++ {
		name := e.W.Name(sim.NodeID(id))
		if slices.Contains(e.Inst.Servers, sim.NodeID(id)) {
			servers = append(servers, name)
		} else {
			others = append(others, name)
		}
	}
	out := fmt.Sprintf("%s seed %d: servers %s", e.Proto.Name, seed, strings.Join(servers, " "))
	if len(others) > 0 {
		out += "; clients " + strings.Join(others, " ")
	}
	return out + fmt.Sprintf("; tolerates %d", e.Inst.Tolerates)
}
