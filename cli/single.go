package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"github.com/google/go-cmp/cmp"
	"io"
	"maps"
	"os"
	"strings"
	"time"

	"github.com/orrery-sim/orrery/faults"
	"github.com/orrery-sim/orrery/harness"
	"github.com/orrery-sim/orrery/internal/exitcode"
	"github.com/orrery-sim/orrery/internal/version"
	"github.com/orrery-sim/orrery/sim"
	"github.com/orrery-sim/orrery/traces"
)

// single runs one seed: banner, optional event log, summary, reproduce line.
func single(o *options, stdout, stderr io.Writer) (int, error) {
	if o.until > 0 && o.trace != "" {
		// The trace of a stopped run would not replay: it is not the whole run.
		return 0, usagef("-trace: not with -until (write the whole run's trace, then -replay it with -until)")
	}
	if o.until > 0 && o.json {
		return 0, usagef("-json: not with -until (a stopped run has no verdict to summarise)")
	}
	var traceOut io.Writer
	if o.trace != "" {
		f, err := os.Create(o.trace)
		if err != nil {
			return 0, usagef("-trace: %v", err)
		}
		traceOut = f
	}
	var observe func(*traces.Event)
	if o.verbose {
		observe = func(e *traces.Event) { fmt.Fprintf(stdout, "%6d %s\n", e.Seq, e.Desc) }
	}
	start := time.Now()
	out, err := harness.Run(o.cfg, harness.RunOptions{Trace: traceOut, Observe: observe, Until: o.until})
	if err != nil {
		return 0, usageError{err.Error()}
	}
	wall := time.Since(start)
	if o.until > 0 && out.Result.Events < o.until {
		return 0, usagef("-until %d: the run ended at event %d", o.until, out.Result.Events)
	}
	if o.json {
		s := summarize(out, wall)
		if never := coverageNever(out); len(never) > 0 {
			// The run's verdict is a pass, but a single run is a campaign of
			// one, and its coverage fails it (exit 3), as the text says.
			s.Verdict, s.ExitCode, s.Property = "coverage", runExitCode(out), strings.Join(never, ",")
			s.Reason = "sometimes " + strings.Join(never, ", ") + " never held in this run"
		}
		return runExitCode(out), writeJSON(stdout, s)
	}
	printBanner(stdout, out.Options)
	if o.until > 0 && !out.Result.Failed() {
		printSummary(stdout, out, wall, "STOPPED after event "+fmt.Sprint(o.until)+": no property failed so far")
		printWorld(stdout, out, o.until)
		return 0, nil
	}
	printSummary(stdout, out, wall, "")
	if o.until > 0 {
		printWorld(stdout, out, o.until)
	}
	if r := &out.Result; o.verbose && r.Verdict == sim.VerdictPanic && r.Stack != "" {
		fmt.Fprintf(stderr, "%s", r.Stack)
	}
	return runExitCode(out), nil
}

func printBanner(w io.Writer, opts []traces.Option) {
	fmt.Fprintln(w, "orrery "+program)
	for _, opt := range opts {
		fmt.Fprintf(w, "  %-12s %s\n", opt.Key, opt.Value)
	}
}

// printSummary prints the run's summary; stopped, when not "", is the result
// of a run stopped before its end (-until) that has not failed.
// runExitCode is the exit code of one run judged as a campaign of one: its
// verdict's, or 3 (liveness) when it passed but some sometimes property
// never held in it.
func runExitCode(out *harness.Outcome) int {
	if len(coverageNever(out)) > 0 {
		return sim.VerdictLiveness.ExitCode()
	}
	return out.Result.Verdict.ExitCode()
}

// coverageNever names the sometimes properties that never held in a run
// that passed otherwise (a single run is a campaign of one).
func coverageNever(out *harness.Outcome) []string {
	if r := &out.Result; !r.Failed() {
		_, never := harness.CoverageOf(r)
		return never
	}
	return nil
}

func printSummary(w io.Writer, out *harness.Outcome, wall time.Duration, stopped string) {
	r := &out.Result
	s := &r.Stats
	fmt.Fprintf(w, "events      %d in %v virtual, %v wall, %.0f events/s\n", r.Events, r.End, wall.Round(time.Microsecond), perSecond(r.Events, wall))
	fmt.Fprintf(w, "messages    sent %d, delivered %d, dropped %d (lost %d), duplicated %d; timers %d\n",
		s.Sent, s.Delivered, s.Dropped, s.Lost, s.Duplicated, s.Timers)
	fmt.Fprintf(w, "faults      %s\n", faultCounters(s))
	fmt.Fprintf(w, "history     %d operations, %d open\n", len(out.World.History().Ops), openOps(out.World))
	if len(out.World.History().Ops) > 0 {
		fmt.Fprintf(w, "latency     %s\n", out.World.History().Latency())
	}
	fmt.Fprintf(w, "hash        %s\n", r.HashString())
	if stopped != "" {
		fmt.Fprintf(w, "result      %s\n", stopped)
		return
	}
	if !r.Failed() {
		if _, never := harness.CoverageOf(r); len(never) > 0 {
			fmt.Fprintf(w, "result      FAIL (coverage): sometimes %s never held in this run\n", strings.Join(never, ", "))
			fmt.Fprintf(w, "            a single seed is a campaign of one: sweep seeds (-seeds A-B) to judge coverage over a campaign\n")
			return
		}
		fmt.Fprintf(w, "result      PASS: %d properties held\n", len(out.World.Properties()))
		return
	}
	fmt.Fprintf(w, "result      FAIL (%s): %s at %v, event %d\n", r.Verdict, r.Property, r.At, r.Seq)
	fmt.Fprintf(w, "            %s\n", r.Reason)
	printPanicSite(w, "            ", r)
	fmt.Fprintf(w, "reproduce:  %s\n", reproduce(out.Config))
}

// printPanicSite says where a run's panic was raised (-v prints the whole
// stack on stderr). The site is not in the trace, whose bytes do not depend
// on where the code was built.
func printPanicSite(w io.Writer, indent string, r *sim.Result) {
	if site := r.PanicSite(); r.Verdict == sim.VerdictPanic && site != "" {
		fmt.Fprintf(w, "%spanicked in %s\n", indent, site)
	}
}

// faultCounters renders how many faults of each kind were applied.
func faultCounters(s *sim.Stats) string {
	var parts []string
	for _, c := range faults.Counters(*s) {
		parts = append(parts, c.Key+" "+c.Value)
	}
	if len(parts) == 0 {
		return "none applied"
	}
	return strings.Join(parts, ", ")
}

func openOps(w *sim.World) int {
	n := 0
	for _, op := range w.History().Ops {
		if !op.Done {
			n++
		}
	}
	return n
}

func perSecond(n uint64, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return float64(n) / d.Seconds()
}

// reproduce renders the command line that re-runs cfg.
func reproduce(cfg harness.Config) string {
	parts := append(append([]string{program}, protocolArgs(cfg.Protocol, cfg.Params)...), "-seed", fmt.Sprint(cfg.Seed))
	if cfg.Bug != "" {
		parts = append(parts, "-bug", cfg.Bug)
	}
	parts = append(parts, "-nodes", fmt.Sprint(cfg.Nodes), "-clients", fmt.Sprint(cfg.Clients),
		"-time", cfg.Safety.String(), "-liveness", cfg.Liveness.String(),
		"-delay", cfg.DelayMin.String()+".."+cfg.DelayMax.String())
	if cfg.FIFO {
		parts = append(parts, "-fifo")
	}
	if cfg.EndAfter != 0 {
		parts = append(parts, "-end-after", fmt.Sprint(cfg.EndAfter))
	}
	if cfg.Scheduler != "" {
		parts = append(parts, "-sched", cfg.Scheduler)
	}
	if cfg.PCTDepth != 0 {
		parts = append(parts, "-pct-depth", fmt.Sprint(cfg.PCTDepth))
	}
	parts = append(parts, extraArgs(cfg)...)
	parts = append(parts, "-faults", shellQuote(cfg.Faults))
	return strings.Join(parts, " ")
}

func shellQuote(s string) string {
	if !strings.ContainsAny(s, " ;|'\"\n$&<>*?") {
		return s
	}
	return "'" + strings.ReplaceAll(strings.ReplaceAll(s, "\n", "; "), "'", `'\''`) + "'"
}

// summary is the -json form of one run.
type summary struct {
	Protocol string `json:"protocol"`
	Seed     uint64 `json:"seed"`
	Bug      string `json:"bug,omitempty"`
	Verdict  string `json:"verdict"`
	ExitCode int    `json:"exit_code"`
	Property string `json:"property,omitempty"`
	Reason   string `json:"reason,omitempty"`
	// PanicAt is where a panic was raised (sim.Result.PanicSite).
	PanicAt    string       `json:"panic_at,omitempty"`
	At         int64        `json:"at_ns,omitempty"`
	Events     uint64       `json:"events"`
	VirtualNs  int64        `json:"virtual_ns"`
	WallMs     float64      `json:"wall_ms"`
	Hash       string       `json:"hash"`
	Operations int          `json:"operations"`
	Latency    *sim.Latency `json:"latency,omitempty"` // virtual time per operation; absent without clients
	Reproduce  string       `json:"reproduce,omitempty"`
	// Version is the build that ran the seed (internal/version).
	Version string `json:"version"`
	// Held and NotHeld are the sometimes properties that held in the run
	// and those that did not, Faults its fault counters: a sweep (and a
	// resumed one, from its results file) aggregates them over its seeds.
	Held    []string          `json:"held,omitempty"`
	NotHeld []string          `json:"not_held,omitempty"`
	Faults  map[string]uint64 `json:"faults,omitempty"`
}

func summarize(out *harness.Outcome, wall time.Duration) summary {
	r := &out.Result
	s := summary{
		Protocol: out.Config.Protocol, Seed: out.Config.Seed, Bug: out.Config.Bug, Verdict: r.Verdict.String(),
		ExitCode: r.Verdict.ExitCode(), Property: r.Property, Reason: r.Reason, Events: r.Events,
		VirtualNs: int64(r.End), WallMs: float64(wall.Microseconds()) / 1000, Hash: r.HashString(),
		Operations: len(out.World.History().Ops), Version: version.String(),
	}
	if s.Operations > 0 {
		l := out.World.History().Latency()
		s.Latency = &l
	}
	if r.Failed() {
		s.At, s.Reproduce = int64(r.At), reproduce(out.Config)
		if r.Verdict == sim.VerdictPanic {
			s.PanicAt = r.PanicSite()
		}
	}
	s.Held, s.NotHeld = harness.CoverageOf(r)
	s.Faults = faultTotals(&r.Stats)
	return s
}

// faultTotals are a run's fault counters by kind, crashes, restarts and
// pauses included.
func faultTotals(st *sim.Stats) map[string]uint64 {
	out := maps.Clone(st.Faults)
	for k, n := range map[string]uint64{"crash": st.Crashes, "restart": st.Restarts, "pause": st.Pauses} { // lint:ordered a map built from a map
		if n > 0 {
			if out == nil {
				out = map[string]uint64{}
			}
			out[k] += n
		}
	}
	return out
}

func writeJSON(w io.Writer, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// printWorld prints every agent's state after event n (for -until).
func printWorld(w io.Writer, out *harness.Outcome, n uint64) {
	world := out.World
	fmt.Fprintf(w, "state after event %d (%v):\n", n, world.Now())
	if last := world.Events(); last > n {
		fmt.Fprintf(w, "  (event %d's step ran on to event %d: a handler's events are one step)\n", n, last)
	}
	for id := sim.NodeID(0); int(id) < world.Len(); id++ {
		fmt.Fprintf(w, "  %-8s %s\n", world.Name(id), agentState(world, id))
	}
}

// agentState is an agent's summary, "down" while its box is down, or "not
// started" before its first Start (a client started late: -start-at).
func agentState(world *sim.World, id sim.NodeID) string {
	switch a := world.Agent(id); {
	case a != nil:
		return sim.Summarize(a)
	case !world.Started(id):
		return "not started"
	}
	return "down"
}

// checkDeterminism runs the configuration twice and compares the trace files.
// When they differ it names the first divergent event, with the events before
// it and the difference, since that is where the nondeterminism entered.
func checkDeterminism(o *options, stdout io.Writer) (int, error) {
	var files [2]bytes.Buffer
	var outs [2]*harness.Outcome
	var events [2][]traces.Event
	for i := range files {
		observe := func(e *traces.Event) { events[i] = append(events[i], *e) }
		out, err := harness.Run(o.cfg, harness.RunOptions{Trace: &files[i], Observe: observe})
		if err != nil {
			return 0, usageError{err.Error()}
		}
		outs[i] = out
	}
	a, b := files[0].Bytes(), files[1].Bytes()
	if bytes.Equal(a, b) && outs[0].Result.Hash == outs[1].Result.Hash {
		verdict := outs[0].Result.Verdict.String()
		if never := coverageNever(outs[0]); len(never) > 0 {
			verdict += " (but sometimes " + strings.Join(never, ", ") + " never held in this run)"
		}
		fmt.Fprintf(stdout, "deterministic: 2 runs, %d events, %d trace bytes, hash %s, verdict %s\n",
			outs[0].Result.Events, len(a), outs[0].Result.HashString(), verdict)
		return runExitCode(outs[0]), nil
	}
	c := newComparer(events[0], true) // both runs record summaries
	for i := range events[1] {
		c.add(&events[1][i])
	}
	if c.diverged(len(events[1])) {
		e := firstAt(c.at, events[0], events[1])
		fmt.Fprintf(stdout, "NONDETERMINISTIC: two runs of seed %d first differ at event %d (%s)\n",
			o.cfg.Seed, c.at+1, e.Desc)
		showDivergence(stdout, c, "first", "second")
		if c.at < len(events[0]) && c.at < len(events[1]) {
			x, y := events[0][c.at], events[1][c.at]
			if x.Choices, y.Choices = nil, nil; x.Node != "" && cmp.Equal(x, y) {
				fmt.Fprintf(stdout, "the same event asked the scheduler different questions: its handler (%s) sent, "+
					"set timers or drew randomness differently from the same state and input\n", x.Node)
			}
		}
		return exitcode.Diverged, nil
	}
	la, lb := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	for i := 0; i < min(len(la), len(lb)); i++ {
		if la[i] != lb[i] {
			fmt.Fprintf(stdout, "NONDETERMINISTIC: same events, traces differ at line %d\n  first:  %s\n  second: %s\n", i+1, la[i], lb[i])
			return exitcode.Diverged, nil
		}
	}
	fmt.Fprintf(stdout, "NONDETERMINISTIC: same events, traces differ in length (%d vs %d lines)\n", len(la), len(lb))
	return exitcode.Diverged, nil
}

// firstAt is event i of the first run that has one.
func firstAt(i int, runs ...[]traces.Event) *traces.Event {
	for _, events := range runs {
		if i < len(events) {
			return &events[i]
		}
	}
	return &traces.Event{}
}
