package explorecli

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/orrery-sim/orrery/explore"
	_ "github.com/orrery-sim/orrery/explore/models" // link the built-in models
	"github.com/orrery-sim/orrery/internal/exitcode"
	"github.com/orrery-sim/orrery/internal/memlimit"
)

// Exit codes (internal/exitcode): complete and holds, violation, bad usage,
// stopped by a limit, an Eventually property violated.
const (
	ExitOK        = exitcode.OK
	ExitViolation = exitcode.Safety
	ExitUsage     = exitcode.Usage
	ExitLimit     = exitcode.Liveness
	ExitLiveness  = exitcode.Liveness
)

// Options are the flags of `simrun -explore`.
type Options struct {
	// Model names a built-in model (see List).
	Model string
	// RMs is the model's size: resource managers for twophase, acceptors for
	// paxos; 0 means the model's default.
	RMs       int
	Symmetry  bool
	DFS       bool
	Random    bool
	Workers   int // 0 means all cores
	MaxStates int64
	MaxDepth  int
	Timeout   time.Duration // 0 means none
	// MaxMemory stops the search once the process holds this many bytes
	// (explore.Options.MemoryMax); 0 means no bound.
	MaxMemory uint64
	JSON      bool
	FullState bool
	Seed      uint64
	// Walks is the number of random walks (0: the checker's default).
	Walks int
	// Deadlock reports states with no enabled action.
	Deadlock bool
	// Liveness checks Eventually properties (explore.Options.Liveness);
	// for a protocol it turns partial-order reduction off.
	Liveness bool
	// Bug enables the model's planted bug.
	Bug bool
	// ProgressEvery spaces progress lines on stderr; 0 means every 5 s.
	ProgressEvery time.Duration

	// Protocol, when Model is empty, names a registered protocol to explore
	// with its own agents (explore/actors); see protocol.go.
	Protocol string
	Nodes    int    // servers (0: the protocol's default)
	BugName  string // the planted bug to enable (a model's, when it has several)
	// Params are the protocol's parameters (-param, or a -config cluster).
	Params map[string]string
	// Network is unordered (default), dup, fifo or lossy.
	Network    string
	CrashesMax int
	// POR turns on partial-order reduction (sleep sets) for a protocol: the
	// same states and verdicts, fewer transitions computed.
	POR bool
	// Trace, when set, receives the counterexample as a trace file.
	Trace string
	// Program names the running command in printed command lines (empty:
	// simrun), so that a program of one's own (cli.Main) prints itself.
	Program string
	// DPOR explores a protocol without storing states, one execution per
	// Mazurkiewicz trace (actors.Model.DPOR); it needs a depth bound.
	DPOR bool
}

// program names the running command in messages (Options.Program).
func (o Options) program() string { return cmp.Or(o.Program, "simrun") }

// errUsage marks errors that are the caller's, reported with exit code 2.
var errUsage = errors.New("usage")

// searchContext bounds a search by o.Timeout (none when zero).
func searchContext(o Options) (context.Context, context.CancelFunc) {
	if o.Timeout > 0 {
		return context.WithTimeout(context.Background(), o.Timeout)
	}
	return context.WithCancel(context.Background())
}

// Run checks the model o names and returns the process exit code.
func Run(o Options, stdout, stderr io.Writer) int {
	if o.Model == "" && o.Protocol != "" {
		return runProtocol(o, stdout, stderr)
	}
	builtin, options, err := resolve(o, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "%s -explore: %v\n", o.program(), err)
		return ExitUsage
	}
	ctx, cancel := searchContext(o)
	defer cancel()
	if !o.JSON {
		fmt.Fprintf(stdout, "explore: model=%s size=%s strategy=%s workers=%s symmetry=%v full-state=%v deadlock=%v bug=%s max-states=%d max-depth=%d timeout=%s seed=%d",
			builtin.Name, orDefault(o.RMs, "default"), options.Strategy, orDefault(o.Workers, "all"), o.Symmetry, o.FullState,
			o.Deadlock, bugName(o), o.MaxStates, o.MaxDepth, o.Timeout, o.Seed)
		if o.Liveness {
			fmt.Fprint(stdout, " eventually=true")
		}
		if o.Random {
			fmt.Fprintf(stdout, " walks=%s", walks(o))
		}
		fmt.Fprintln(stdout)
	}
	r, ok := search(o, stdout, stderr, func() (explore.Result, error) {
		return builtin.Check(ctx, explore.Params{Size: o.RMs, Bug: o.Bug, BugName: o.BugName}, options)
	})
	if !ok {
		return ExitUsage
	}
	return exitCode(r)
}

// search runs check under the memory bound and reports its result, as JSON
// or a summary; ok is false (and the error printed) when the search could not
// run.
func search(o Options, stdout, stderr io.Writer, check func() (explore.Result, error)) (r explore.Result, ok bool) {
	restore := memlimit.CollectBelow(o.MaxMemory)
	r, err := check()
	restore()
	if err != nil {
		fmt.Fprintf(stderr, "%s -explore: %v\n", o.program(), err)
		return r, false
	}
	reportLimit(o, r, stderr)
	if o.JSON {
		if err := json.NewEncoder(stdout).Encode(r); err != nil {
			fmt.Fprintf(stderr, "%s -explore: %v\n", o.program(), err)
		}
	} else {
		r.WriteSummary(stdout)
	}
	return r, true
}

func exitCode(r explore.Result) int {
	switch r.Status {
	case explore.StatusViolated:
		if isLasso(r.Counterexample) {
			return ExitLiveness
		}
		return ExitViolation
	case explore.StatusLimit:
		return ExitLimit
	}
	return ExitOK
}

// resolve validates o and turns it into the model and checker options.
func resolve(o Options, stderr io.Writer) (explore.Builtin, explore.Options, error) {
	builtin, ok := explore.Lookup(o.Model)
	if !ok {
		return builtin, explore.Options{}, fmt.Errorf("%w: unknown model %q (models: %s)", errUsage, o.Model, strings.Join(names(), ", "))
	}
	switch {
	case o.DFS && o.Random:
		return builtin, explore.Options{}, fmt.Errorf("%w: -dfs and -random exclude each other", errUsage)
	case o.RMs < 0 || o.Workers < 0 || o.MaxStates < 0 || o.MaxDepth < 0 || o.Timeout < 0 || o.Walks < 0:
		return builtin, explore.Options{}, fmt.Errorf("%w: sizes, limits and workers must not be negative", errUsage)
	case o.Symmetry && !builtin.Symmetric:
		return builtin, explore.Options{}, fmt.Errorf("%w: model %s has no symmetry canonicaliser", errUsage, o.Model)
	}
	if err := livenessConflict(o); err != nil {
		return builtin, explore.Options{}, err
	}
	if o.Walks > 0 && !o.Random {
		return builtin, explore.Options{}, fmt.Errorf("%w: -walks counts the walks of -random; add -random", errUsage)
	}
	options := explore.Options{
		Workers: o.Workers, Symmetry: o.Symmetry, FullState: o.FullState, Deadlock: o.Deadlock,
		StatesMax: o.MaxStates, DepthMax: o.MaxDepth, Seed: o.Seed, WalksMax: o.Walks,
		Progress: stderr, ProgressEvery: o.ProgressEvery, MemoryMax: o.MaxMemory, Liveness: o.Liveness,
	}
	switch {
	case o.DFS:
		options.Strategy = explore.DFS
	case o.Random:
		options.Strategy = explore.RandomWalk
	}
	return builtin, options, nil
}

// livenessConflict refuses -eventually with a flag that excludes the
// lasso search, naming that flag: the search needs the graph of every
// transition, which only the breadth-first search without a reduction of
// the states stores.
func livenessConflict(o Options) error {
	if !o.Liveness {
		return nil
	}
	flag := ""
	switch {
	case o.DFS:
		flag = "-dfs"
	case o.Random:
		flag = "-random"
	case o.DPOR:
		flag = "-dpor"
	case o.Symmetry:
		flag = "-symmetry"
	case o.FullState:
		flag = "-full-state"
	default:
		return nil
	}
	return fmt.Errorf("%w: -eventually needs the breadth-first search, which stores the graph its lasso search runs on; %s excludes it: drop %s or -eventually",
		errUsage, flag, flag)
}

func names() []string {
	var out []string
	for _, b := range explore.Builtins() {
		out = append(out, b.Name)
	}
	return out
}

// List prints the built-in models, one per line, for `simrun -list`.
func List(w io.Writer) {
	for _, b := range explore.Builtins() {
		fmt.Fprintf(w, "%-10s %s\n", b.Name, b.Doc)
	}
}

// isLasso reports whether c is a liveness counterexample.
func isLasso(c *explore.Counterexample) bool { return c != nil && c.LoopAt > 0 }

// bugName renders -bug for a built-in model's banner.
func bugName(o Options) string {
	switch {
	case o.BugName != "":
		return o.BugName
	case o.Bug:
		return "true"
	}
	return "false"
}

// walks renders the number of random walks (-walks) for a banner.
func walks(o Options) string {
	if o.Walks == 0 {
		return fmt.Sprint(explore.WalksMaxDefault)
	}
	return fmt.Sprint(o.Walks)
}

// orDefault renders an option whose zero value means a default.
func orDefault(n int, zero string) string {
	if n == 0 {
		return zero
	}
	return fmt.Sprint(n)
}
