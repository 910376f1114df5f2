package explorecli

import (
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"

	"github.com/orrery-sim/orrery/explore"
	"github.com/orrery-sim/orrery/explore/actors"
	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/sim"
	"github.com/orrery-sim/orrery/traces"
)

// protocolRun is one exploration of a registered protocol's agents.
type protocolRun struct {
	o       Options
	model   *actors.Model
	trace   actors.TraceConfig
	options explore.Options
	banner  []traces.Option
}

// runProtocol explores the protocol o names with its own agents and returns
// the process exit code. A counterexample is printed step by step, with the
// reason each violated invariant gives, and written to o.Trace.
func runProtocol(o Options, stdout, stderr io.Writer) int {
	pr, err := resolveProtocol(o, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "%s -explore: %v\n", o.program(), err)
		return ExitUsage
	}
	ctx, cancel := searchContext(o)
	defer cancel()
	if !o.JSON {
		fmt.Fprintf(stdout, "explore:")
		for _, opt := range pr.banner {
			fmt.Fprintf(stdout, " %s=%s", opt.Key, opt.Value)
		}
		fmt.Fprintln(stdout)
		if skipped := pr.model.Skipped(pr.options.Liveness); len(skipped) > 0 {
			var hints []string
			if len(skipped) > len(pr.model.Skipped(true)) {
				hints = append(hints, "-eventually checks eventually properties")
			}
			if pr.model.Count(sim.AtEnd) > 0 {
				// A run has an end; an explored state does not.
				hints = append(hints, "an at-end property added as Always in ExploreSpec.Setup is checked on every state")
			}
			hint := ""
			if len(hints) > 0 {
				hint = " (" + strings.Join(hints, "; ") + ")"
			}
			fmt.Fprintf(stdout, "  not checked under exploration: %s%s\n", strings.Join(skipped, ", "), hint)
		}
		if note := pr.crashNote(); note != "" {
			fmt.Fprintf(stdout, "  %s\n", note)
		}
		if pr.options.Liveness && pr.model.Count(sim.Eventually) == 0 {
			fmt.Fprintf(stdout, "  -eventually: the protocol has no eventually property; the search checks safety only\n")
		}
	}
	if note := pr.crashNote(); note != "" && o.JSON {
		fmt.Fprintf(stderr, "%s -explore: %s\n", o.program(), note) // stdout holds the JSON alone
	}
	if o.DPOR {
		return pr.runDPOR(ctx, stdout, stderr)
	}
	r, ok := search(o, stdout, stderr, func() (explore.Result, error) { return explore.Check(ctx, pr.model, pr.options) })
	if !ok {
		return ExitUsage
	}
	if r.Counterexample != nil {
		if err := pr.counterexample(r.Counterexample, stdout); err != nil {
			fmt.Fprintf(stderr, "%s -explore: %v\n", o.program(), err)
			return ExitUsage
		}
	}
	return exitCode(r)
}

// counterexample re-executes the path into a trace: it prints why the last
// state fails and writes the trace file.
func (pr *protocolRun) counterexample(c *explore.Counterexample, stdout io.Writer) error {
	config := pr.trace
	if isLasso(c) {
		config.Explore.Cycle = &actors.Cycle{Property: c.Property, LoopAt: c.LoopAt}
	}
	run, err := config.Run(pr.model, c.Choices)
	if err != nil {
		return err
	}
	if !pr.o.JSON {
		why := pr.model.Explain(run.Final)
		if run.Liveness {
			why = []string{run.Failure + ": " + run.Reason}
		}
		for _, line := range why {
			fmt.Fprintf(stdout, "  why: %s\n", line)
		}
	}
	if pr.o.Trace == "" {
		return nil
	}
	f, err := os.Create(pr.o.Trace)
	if err != nil {
		return fmt.Errorf("-trace: %v", err)
	}
	if err := actors.WriteTrace(f, config, pr.banner, run); err != nil {
		return fmt.Errorf("-trace: %s: %v", pr.o.Trace, err)
	}
	if !pr.o.JSON {
		fmt.Fprintf(stdout, "trace: %s (%d events; %s -replay %s)\n", pr.o.Trace, len(run.Events), pr.o.program(), pr.o.Trace)
	}
	return nil
}

func resolveProtocol(o Options, stderr io.Writer) (*protocolRun, error) {
	p, err := protocols.Lookup(o.Protocol)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errUsage, err)
	}
	switch {
	case o.Symmetry || o.FullState:
		return nil, fmt.Errorf("%w: -symmetry and -full-state apply to built-in models only", errUsage)
	case o.DFS && o.Random:
		return nil, fmt.Errorf("%w: -dfs and -random exclude each other", errUsage)
	case o.DPOR && (o.DFS || o.Random):
		return nil, fmt.Errorf("%w: -dpor excludes -dfs and -random", errUsage)
	case o.Nodes < 0 || o.Workers < 0 || o.MaxStates < 0 || o.MaxDepth < 0 || o.Timeout < 0 || o.Walks < 0 || o.CrashesMax < 0:
		return nil, fmt.Errorf("%w: sizes, limits and workers must not be negative", errUsage)
	}
	if err := livenessConflict(o); err != nil {
		return nil, err
	}
	if o.Walks > 0 && !o.Random {
		return nil, fmt.Errorf("%w: -walks counts the walks of -random; add -random", errUsage)
	}
	if o.Network == "" {
		o.Network = actors.Unordered.String()
	}
	network, err := actors.ParseNetwork(o.Network)
	if err != nil {
		return nil, fmt.Errorf("%w: -network: %v", errUsage, err)
	}
	resolved, err := p.Resolve(protocols.Options{Nodes: o.Nodes, Bug: o.BugName, Params: o.Params})
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errUsage, err)
	}
	cfg, err := actors.FromProtocol(p, resolved, network, o.CrashesMax)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errUsage, err)
	}
	m, err := actors.New(cfg)
	if err != nil {
		return nil, err
	}
	pr := &protocolRun{o: o, model: m,
		trace: actors.TraceConfig{Protocol: p.Name, Nodes: resolved.Nodes, Bug: resolved.Bug, Params: resolved.Params,
			Explore: actors.ExploreConfig{Network: network.String(), CrashesMax: o.CrashesMax}}}
	pr.options = explore.Options{Workers: o.Workers, Deadlock: o.Deadlock, StatesMax: o.MaxStates, DepthMax: o.MaxDepth,
		Seed: o.Seed, WalksMax: o.Walks, Progress: stderr, ProgressEvery: o.ProgressEvery, MemoryMax: o.MaxMemory,
		Reduce: o.POR && !o.Liveness, Liveness: o.Liveness}
	if pr.options.DepthMax == 0 {
		pr.options.DepthMax = m.DepthMax()
	}
	if o.DPOR && pr.options.DepthMax == 0 {
		return nil, fmt.Errorf("%w: -dpor: %v (%s has no default); give -max-depth", errUsage, actors.ErrDPORDepth, p.Name)
	}
	switch {
	case o.DFS:
		pr.options.Strategy = explore.DFS
	case o.Random:
		pr.options.Strategy = explore.RandomWalk
	}
	pr.banner = pr.bannerOptions()
	return pr, nil
}

// bannerOptions are the derived options, printed first and kept in a trace's
// header.
func (pr *protocolRun) bannerOptions() []traces.Option {
	bug := pr.trace.Bug
	if bug == "" {
		bug = "none"
	}
	opts := []traces.Option{
		{Key: "protocol", Value: pr.trace.Protocol}, {Key: "nodes", Value: fmt.Sprint(pr.trace.Nodes)},
		{Key: "bug", Value: bug}, {Key: "network", Value: pr.trace.Explore.Network},
		{Key: "max-crashes", Value: fmt.Sprint(pr.trace.Explore.CrashesMax)}, {Key: "por", Value: fmt.Sprint(pr.options.Reduce)},
		{Key: "strategy", Value: pr.strategy()}, {Key: "workers", Value: pr.workers()},
		{Key: "max-depth", Value: orDefault(pr.options.DepthMax, "none")},
		{Key: "max-states", Value: orDefault(int(pr.o.MaxStates), "none")},
		{Key: "eventually", Value: fmt.Sprint(pr.options.Liveness)},
		{Key: "clock", Value: pr.clock()},
	}
	if pr.o.Random {
		opts = append(opts, traces.Option{Key: "walks", Value: walks(pr.o)})
	}
	if len(pr.trace.Params) > 0 {
		var params []string
		for _, k := range slices.Sorted(maps.Keys(pr.trace.Params)) {
			params = append(params, k+"="+pr.trace.Params[k])
		}
		opts = append(opts, traces.Option{Key: "params", Value: strings.Join(params, ",")})
	}
	return opts
}

// crashNote says how -max-crashes is limited by the protocol's fault
// model, "" when it is not: the search never has more server boxes down at
// once than the protocol tolerates (actors.Model.DownMax), so a budget
// beyond that is spent one crash after another, or not at all.
func (pr *protocolRun) crashNote() string {
	crashes, down := pr.o.CrashesMax, pr.model.DownMax()
	if crashes <= down {
		return ""
	}
	tolerates := "no server box"
	if t := pr.model.Tolerates(); t > 0 {
		tolerates = plural(t, "server box", "server boxes")
	}
	why := fmt.Sprintf("%s with nodes=%d tolerates %s down at once (its fault model: more would report failures it does not claim to survive)",
		pr.trace.Protocol, pr.trace.Nodes, tolerates)
	if down == 0 {
		return fmt.Sprintf("-max-crashes %d explores no crash: %s", crashes, why)
	}
	return fmt.Sprintf("-max-crashes %d: at most %s down at once, later crashes follow a restart: %s", crashes, plural(down, "server box", "server boxes"), why)
}

// plural renders n with the singular or plural noun.
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// clock says how the search treats time: untimed, an armed timer may fire
// at any step, so timer durations (such as raft's election-timeout-ms) have
// no effect; timed, the states' clock runs to a bound and a timer fires no
// earlier than its deadline.
func (pr *protocolRun) clock() string {
	if t := pr.model.TimeMax(); t > 0 {
		return "timed to " + t.String()
	}
	return "untimed (timers fire at any step; durations have no effect)"
}

// strategy names the search in the banner.
func (pr *protocolRun) strategy() string {
	if pr.o.DPOR {
		return "dpor"
	}
	return pr.options.Strategy.String()
}

// workers is the banner's worker count: the stateless search runs on one.
func (pr *protocolRun) workers() string {
	if pr.o.DPOR {
		return "1"
	}
	return orDefault(pr.o.Workers, "all")
}
