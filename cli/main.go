package cli

import (
	"bytes"
	"cmp"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/orrery-sim/orrery/cli/internal/explorecli"
	"github.com/orrery-sim/orrery/cli/internal/lincli"
	"github.com/orrery-sim/orrery/harness"
	"github.com/orrery-sim/orrery/internal/exitcode"
	"github.com/orrery-sim/orrery/internal/memlimit"
	"github.com/orrery-sim/orrery/internal/quote"
	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/shrink"
	"github.com/orrery-sim/orrery/sim"
)

// Main runs the simrun command line over os.Args with protos available beside
// the registered protocols, and returns the exit code. A program of one's own
// is
//
//	func main() { os.Exit(cli.Main(mine.Protocol)) }
//
// and has every mode of simrun for its protocol; the first of protos is the
// default -protocol. The banner and the printed reproduce: and replay: lines
// name the running program. A protocol whose name is already registered as a
// different protocol is bad usage (exit 2).
func Main(protos ...*protocols.Protocol) int {
	program = filepath.Base(os.Args[0])
	if len(protos) > 0 && protos[0] != nil {
		defaultProtocol, ownDefault = protos[0].Name, true
	}
	for _, p := range protos {
		if err := protocols.Ensure(p); err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", program, err)
			return exitUsage
		}
	}
	return run(os.Args[1:], os.Stdout, os.Stderr)
}

// program names the running command in messages and printed command lines.
// Main sets it from os.Args[0]; tests keep "simrun".
var program = "simrun"

// defaultProtocol is -protocol's default: raft, or the first protocol given
// to Main (ownDefault), which -explore also explores by default.
var (
	defaultProtocol = "raft"
	ownDefault      bool
)

// exitUsage is the exit code for bad usage or bad input.
const exitUsage = exitcode.Usage

// usageError is bad input: reported in one line, exit 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

type options struct {
	cfg              harness.Config
	seeds            string
	workers          int
	safety, liveness string
	delay            string
	trace            string
	json             bool
	list             bool
	checkDeterminism bool
	replay           string
	verbose          bool
	until            uint64
	history          lincli.Options
	explore          bool
	exploreOpts      explorecli.Options
	checkTimeout     time.Duration
	results, resume  string
	shard            string
	// replay, shrink and views (replay.go, shrink.go, html.go)
	step       bool
	shrink     bool
	output     string
	shrinkRuns int
	shrinkTime time.Duration
	perfetto   string
	mermaid    string
	config     string // a cluster file (config.go)
	version    bool
	maxMemory  memoryFlag
	mode       mode
	flags      *flag.FlagSet // the command line's flags, for modeOf and tests
	// -hunt (hunt.go)
	huntStrategy string
	huntRuns     int
}

func parseFlags(args []string, stderr io.Writer) (*options, error) {
	o := &options{}
	fs := flag.NewFlagSet(program, flag.ContinueOnError)
	// Errors are reported in one line by run; the flag list only on -h.
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	fs.StringVar(&o.cfg.Protocol, "protocol", defaultProtocol, "protocol to run (see -list)")
	fs.StringVar(&o.config, "config", "", "run a cluster file: agents on boxes, types, routes (see examples/)")
	fs.Uint64Var(&o.cfg.Seed, "seed", 1, "seed of the run")
	fs.StringVar(&o.seeds, "seeds", "", "sweep a range of seeds, A-B (inclusive)")
	fs.IntVar(&o.workers, "workers", runtime.NumCPU(), "parallel runs in a sweep or -hunt; search goroutines of -explore")
	fs.IntVar(&o.cfg.Nodes, "nodes", 0, "number of servers (0: the protocol's default)")
	fs.IntVar(&o.cfg.Clients, "clients", 0, "number of clients (0: the protocol's default)")
	fs.StringVar(&o.cfg.Bug, "bug", "", "enable a planted bug (see -list)")
	fs.Var(paramFlag{&o.cfg.Params}, "param", "protocol parameter NAME=VALUE, repeatable (see -list; e.g. -param prevote=true for raft)")
	fs.IntVar(&o.cfg.Ops, "ops", 0, "operations per client (0: no cap), for protocols that honour it")
	fs.StringVar(&o.cfg.Skip, "skip", "", "client operations to leave out, CLIENT#SEQ,... e.g. c1#2,c2#1 (protocols whose clients honour it)")
	fs.StringVar(&o.cfg.StartAt, "start-at", "", "start clients late, AGENT=TIME,... e.g. c1=200ms,c2=150ms (any agent but a server)")
	fs.StringVar(&o.safety, "time", "", "virtual length of the safety phase, e.g. 10s (default: the protocol's)")
	fs.StringVar(&o.liveness, "liveness", "", "bound on the liveness phase, e.g. 10s (default: the protocol's)")
	fs.Uint64Var(&o.cfg.EndAfter, "end-after", 0, "end the run after N events, in whichever phase, judging the end-of-run properties there (0: no bound)")
	fs.StringVar(&o.cfg.Faults, "faults", "swarm", "faults: none, default, swarm, a plan file, or an inline plan")
	fs.Var(swarmClusterFlag{&o.cfg}, "swarm-cluster", "the seed also draws nodes and clients (those not given) and servers that stay down for good (default: under -faults swarm; -swarm-cluster=false keeps the cluster as given)")
	fs.StringVar(&o.delay, "delay", "", "network delay range MIN..MAX, e.g. 1ms..10ms (default: the protocol's)")
	fs.BoolVar(&o.cfg.FIFO, "fifo", false, "deliver messages in order on each link")
	fs.StringVar(&o.cfg.Scheduler, "sched", "", "scheduler: seeded (default) or pct (PCT-style node priorities)")
	fs.IntVar(&o.cfg.PCTDepth, "pct-depth", 0, "-sched pct: bug depth d, d-1 priority change points (0: 3)")
	fs.StringVar(&o.trace, "trace", "", "write the trace (JSON Lines) to this file")
	fs.BoolVar(&o.json, "json", false, "print a JSON summary per seed on stdout")
	fs.BoolVar(&o.list, "list", false, "list protocols, planted bugs and fault kinds")
	fs.BoolVar(&o.version, "version", false, "print the version and VCS revision of this build")
	fs.BoolVar(&o.checkDeterminism, "check-determinism", false, "run twice and compare the traces byte for byte")
	fs.StringVar(&o.replay, "replay", "", "re-run a trace file from its recorded choices and compare")
	fs.BoolVar(&o.verbose, "v", false, "print every event (and a panic's stack, on stderr)")
	fs.Uint64Var(&o.until, "until", 0, "stop after this many events (with -v or -replay: inspect the state there)")
	fs.StringVar(&o.results, "results", "", "sweep: append one JSON line per finished seed to this file")
	fs.StringVar(&o.resume, "resume", "", "sweep: skip the seeds already in this results file, and append to it")
	fs.StringVar(&o.shard, "shard", "", "sweep: I/N runs every N-th seed of the range, starting at offset I")
	fs.BoolVar(&o.step, "step", false, "-replay: print each event with the state of the node that handled it")
	fs.BoolVar(&o.shrink, "shrink", false, "minimise a failing run (-replay FILE or -protocol/-seed); writes -o")
	fs.StringVar(&o.output, "o", "", "-shrink: write the shrunk trace to this file")
	fs.IntVar(&o.shrinkRuns, "shrink-runs", 0, fmt.Sprintf("-shrink: at most this many candidate runs (0: %d)", shrink.DefaultRunsMax))
	fs.Var(durationFlag{&o.shrinkTime}, "shrink-time", fmt.Sprintf("-shrink: wall-clock budget, e.g. 2m (0: %v)", shrink.DefaultTime))
	fs.StringVar(&o.perfetto, "perfetto", "", "write the trace as Chrome/Perfetto trace-event JSON to this file")
	fs.StringVar(&o.mermaid, "mermaid", "", "write the run (its causal slice, if it failed) as a Mermaid sequence diagram to this file")
	fs.StringVar(&o.history.File, "history", "", "check a history file for linearizability (edn, etcd or kv format)")
	fs.StringVar(&o.history.Model, "model", "", "model: for -history (register, cas-register, kv, set, queue, ...) or -explore (twophase, paxos)")
	fs.StringVar(&o.history.Format, "format", "", "history format: edn, etcd or kv (default: detected)")
	fs.StringVar(&o.history.HTML, "html", "", "write an HTML view to this file: of the check (-history), or of the run, replay or shrunk run")
	fs.Var(durationFlag{&o.checkTimeout}, "timeout", "wall-clock limit for -history and -explore, e.g. 10m (0: none)")
	fs.BoolVar(&o.explore, "explore", false, "model-check a built-in model (-model) or a protocol's own agents (-protocol)")
	fs.IntVar(&o.exploreOpts.RMs, "rms", 0, "-explore: model size (resource managers, acceptors)")
	fs.BoolVar(&o.exploreOpts.Symmetry, "symmetry", false, "-explore: symmetry reduction")
	fs.BoolVar(&o.exploreOpts.DFS, "dfs", false, "-explore: depth-first instead of breadth-first")
	fs.BoolVar(&o.exploreOpts.Random, "random", false, "-explore: seeded random walks (with -seed)")
	fs.IntVar(&o.exploreOpts.Walks, "walks", 0, "-explore -random: number of random walks (0: 1000)")
	fs.Int64Var(&o.exploreOpts.MaxStates, "max-states", 0, "-explore: stop after this many distinct states (0: none)")
	fs.IntVar(&o.exploreOpts.MaxDepth, "max-depth", 0, "-explore: do not expand states deeper than this (0: none)")
	fs.BoolVar(&o.exploreOpts.FullState, "full-state", false, "-explore: store whole states to detect fingerprint collisions")
	fs.BoolVar(&o.exploreOpts.Deadlock, "deadlock", false, "-explore: report states with no enabled action")
	fs.BoolVar(&o.exploreOpts.Liveness, "eventually", false, "-explore: check eventually properties by a lasso search under weak fairness (breadth-first; turns -por off)")
	fs.StringVar(&o.exploreOpts.Network, "network", "unordered", "-explore -protocol: network semantics: unordered, dup, fifo or lossy")
	fs.IntVar(&o.exploreOpts.CrashesMax, "max-crashes", 0, "-explore -protocol: crashes per explored run (never more server boxes down at once than the protocol tolerates)")
	o.maxMemory = memoryFlag(memlimit.Default())
	fs.Var(&o.maxMemory, "max-memory", "-explore, -history: stop the search (exit 3) once the process holds this much memory, e.g. 8GiB (0: none)")
	o.flags = fs
	fs.BoolVar(&o.exploreOpts.DPOR, "dpor", false, "-explore -protocol: stateless search, one execution per Mazurkiewicz trace (source-DPOR with sleep sets; needs a depth bound)")
	fs.BoolVar(&o.exploreOpts.POR, "por", true, "-explore -protocol: partial-order reduction (same states and verdicts, fewer transitions; -por=false for the full search)")
	fs.StringVar(&o.huntStrategy, "hunt", "", "search from -seed for a failing run with a strategy: random, novelty or pct (implied by -runs)")
	fs.IntVar(&o.huntRuns, "runs", 0, "-hunt: at most this many runs (0: 2000)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(stderr)
			fmt.Fprintf(stderr, "usage: %s [flags]   (README.md has a tour)\n", program)
			fs.PrintDefaults()
			return nil, err
		}
		return nil, usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return nil, usagef("unexpected argument %q", fs.Arg(0))
	}
	var err error
	if o.mode, err = modeOf(setFlags(fs)); err != nil {
		return nil, err
	}
	return o, o.resolve()
}

func (o *options) resolve() error {
	var err error
	if o.safety != "" {
		if o.cfg.Safety, err = sim.ParseDuration(o.safety); err != nil {
			return usagef("-time: %v", err)
		}
		if o.cfg.Safety == 0 {
			return usagef("-time: the safety phase must be longer than 0")
		}
	}
	if o.liveness != "" {
		if o.cfg.Liveness, err = sim.ParseDuration(o.liveness); err != nil {
			return usagef("-liveness: %v", err)
		}
	}
	if o.delay != "" {
		lo, hi, ok := strings.Cut(o.delay, "..")
		if !ok {
			return usagef("-delay: want MIN..MAX such as 1ms..10ms, got %s", quote.Q(o.delay))
		}
		min, err1 := sim.ParseDuration(lo)
		max, err2 := sim.ParseDuration(hi)
		if err := cmp.Or(err1, err2); err != nil {
			return usagef("-delay: %v", err)
		}
		if min > max {
			return usagef("-delay: MIN %v exceeds MAX %v", min, max)
		}
		o.cfg.DelayMin, o.cfg.DelayMax = min, max
	}
	if o.shrinkRuns < 0 {
		return usagef("-shrink-runs: want 0 (the default budget) or more, got %d", o.shrinkRuns)
	}
	if o.workers < 1 || o.workers > workersMax {
		return usagef("-workers: want 1 to %d, got %d", workersMax, o.workers)
	}
	if spec := o.cfg.Faults; spec != "" && !strings.Contains(spec, " ") && !isFaultMode(spec) {
		text, err := os.ReadFile(spec)
		if err != nil {
			return usagef("-faults: %q is neither none/default/swarm, an inline plan, nor a readable plan file", spec)
		}
		o.cfg.Faults = string(text)
	}
	if o.config != "" {
		return loadConfig(o, o.config)
	}
	return nil
}

func isFaultMode(s string) bool { return s == "none" || s == "default" || s == "swarm" }

// parseSeeds reads "A-B" (inclusive) or a single seed.
func parseSeeds(s string) (lo, hi uint64, err error) {
	a, b, found := strings.Cut(s, "-")
	lo, err1 := strconv.ParseUint(strings.TrimSpace(a), 10, 64)
	hi, err2 := lo, error(nil)
	if found {
		hi, err2 = strconv.ParseUint(strings.TrimSpace(b), 10, 64)
	}
	if err1 != nil || err2 != nil || hi < lo {
		return 0, 0, usagef("-seeds: want A-B with A <= B, got %q", s)
	}
	if hi-lo >= seedsPerSweepMax {
		return 0, 0, usagef("-seeds: at most %d seeds per sweep, got %d", uint64(seedsPerSweepMax), hi-lo+1)
	}
	return lo, hi, nil
}

// seedsPerSweepMax bounds one sweep.
const seedsPerSweepMax = 1 << 32

func run(args []string, stdout, stderr io.Writer) int {
	o, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "%s: %s\n", program, oneLine(err))
		return exitUsage
	}
	code, err := dispatch(o, stdout, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "%s: %s\n", program, oneLine(err))
		return exitUsage
	}
	return code
}

func dispatch(o *options, stdout, stderr io.Writer) (int, error) {
	switch {
	case o.version:
		printVersion(stdout)
		return 0, nil
	case o.list:
		return 0, list(stdout)
	case o.history.File != "":
		o.history.Timeout, o.history.JSON, o.history.MaxMemory = o.checkTimeout, o.json, uint64(o.maxMemory)
		return lincli.Run(o.history, stdout, stderr), nil
	case o.explore:
		e := o.exploreOpts
		e.Model, e.Workers, e.Timeout, e.JSON, e.Seed = o.history.Model, o.workers, o.checkTimeout, o.json, o.cfg.Seed
		e.Program = program
		e.MaxMemory = uint64(o.maxMemory)
		e.Bug, e.BugName = o.cfg.Bug != "", o.cfg.Bug
		if e.Model == "" { // explore the protocol's own agents
			e.Protocol, e.Nodes, e.BugName, e.Params, e.Trace = o.cfg.Protocol, o.cfg.Nodes, o.cfg.Bug, o.cfg.Params, o.trace
		}
		return explorecli.Run(e, stdout, stderr), nil
	case o.replay != "":
		return replay(o, stdout, stderr)
	case o.huntStrategy != "" || o.huntRuns != 0:
		return huntSearch(o, stdout, stderr)
	case o.shrink:
		return shrinkSeed(o, stdout, stderr)
	case o.seeds != "":
		lo, hi, err := parseSeeds(o.seeds)
		if err != nil {
			return 0, err
		}
		return sweep(o, lo, hi, stdout, stderr)
	case o.checkDeterminism:
		return checkDeterminism(o, stdout)
	}
	if o.history.HTML != "" || o.perfetto != "" || o.mermaid != "" {
		return renderRun(o, stdout, stderr)
	}
	return single(o, stdout, stderr)
}

func list(w io.Writer) error {
	fmt.Fprintln(w, "protocols:")
	for _, name := range protocols.Names() {
		p, _ := protocols.Lookup(name)
		nodesMax, clientsMax := p.Limits()
		fmt.Fprintf(w, "  %-8s %s (nodes %d, %d..%d; clients %d, 0..%d)\n", p.Name, p.Summary, p.Nodes, p.MinNodes, nodesMax, p.Clients, clientsMax)
		for _, b := range p.Bugs {
			fmt.Fprintf(w, "    -bug %-22s %s\n", b.Name, b.Summary)
		}
		for _, d := range p.Params {
			fmt.Fprintf(w, "    -param %-20s %s%s\n", d.Name+"="+d.Kind.String(), d.Summary, paramDefault(d))
		}
	}
	listFaults(w)
	fmt.Fprintln(w, "models (-explore -model NAME; -explore -protocol NAME explores a protocol's own agents):")
	var models bytes.Buffer
	explorecli.List(&models)
	for _, line := range strings.SplitAfter(models.String(), "\n") {
		if line != "" {
			fmt.Fprint(w, "  ", line)
		}
	}
	return nil
}
