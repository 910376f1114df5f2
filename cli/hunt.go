package cli

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/orrery-sim/orrery/harness/hunt"
)

// huntRuns is the -runs budget when -hunt is given without it.
const huntRunsDefault = 2000

// huntSearch runs a hunt (-hunt STRATEGY and/or -runs N) from -seed as the
// base seed. Its exit code is a sweep's: that of the failing run, 0 if none
// failed within the budget. The failing run's trace is written (-trace, or a
// file in the temporary directory) and the replay command printed, since a
// branched run is not a plain seed; a plain seed also gets its reproduce line.
func huntSearch(o *options, stdout, stderr io.Writer) (int, error) {
	if o.seeds != "" || o.shrink || o.until > 0 || o.cfg.Scheduler != "" || o.checkDeterminism {
		return 0, usagef("-hunt: not with -seeds, -shrink, -until, -sched or -check-determinism (pct is a strategy: -hunt pct)")
	}
	if o.huntStrategy == "" {
		o.huntStrategy = hunt.Default
	}
	if !slices.Contains(hunt.Strategies, o.huntStrategy) {
		return 0, usagef("-hunt: unknown strategy %q (known: %v)", o.huntStrategy, hunt.Strategies)
	}
	if o.huntRuns < 0 {
		return 0, usagef("-runs: want at least 1, got %d", o.huntRuns)
	}
	if o.huntRuns == 0 {
		o.huntRuns = huntRunsDefault
	}
	cfg, _, err := o.cfg.ResolveShared()
	if err != nil {
		return 0, usageError{err.Error()}
	}
	start := time.Now()
	r, err := hunt.Hunt(cfg, hunt.Options{Strategy: o.huntStrategy, RunsMax: o.huntRuns, BaseSeed: o.cfg.Seed,
		Workers: o.workers, PCTDepth: o.cfg.PCTDepth})
	if err != nil {
		return 0, usageError{err.Error()}
	}
	wall := time.Since(start)
	fmt.Fprintf(stdout, "hunt        %s, strategy %s, base seed %d, at most %d runs on %d workers\n",
		cfg.Protocol, o.huntStrategy, o.cfg.Seed, o.huntRuns, o.workers)
	fmt.Fprintf(stdout, "time        %d runs in %v wall, %.0f events/s\n", r.Runs, wall.Round(time.Millisecond), perSecond(r.Events, wall))
	if o.huntStrategy == hunt.Novelty {
		fmt.Fprintf(stdout, "novelty     %d distinct abstract states, %d corpus entries\n", r.Features, r.Corpus)
	}
	f := r.Failure
	if f == nil {
		fmt.Fprintf(stdout, "result      PASS: no failing run in %d runs\n", r.Runs)
		return 0, nil
	}
	path := o.trace
	if path == "" {
		path = filepath.Join(os.TempDir(), fmt.Sprintf("%s-hunt-%s-%d.jsonl", program, o.huntStrategy, o.cfg.Seed))
	}
	var buf bytes.Buffer
	if _, err := f.WriteTrace(&buf); err != nil {
		return 0, err
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		return 0, usagef("-trace: %v", err)
	}
	res := &f.Outcome.Result
	how := fmt.Sprintf("seed %d", f.Config.Seed)
	if f.Branched {
		how = fmt.Sprintf("a branch of seed %d after %d of its choices, then seed %d", f.Parent, f.Prefix, f.Config.Seed)
	}
	fmt.Fprintf(stdout, "result      FAIL (%s) at run %d: %s (%s)\n", res.Verdict, r.Runs, res.Property, how)
	fmt.Fprint(stdout, failureAt("            ", res))
	printPanicSite(stdout, "            ", res)
	fmt.Fprintf(stdout, "trace       %s\n", path)
	fmt.Fprintf(stdout, "reproduce:  %s -replay %s\n", program, shellQuote(path))
	if !f.Branched {
		fmt.Fprintf(stdout, "            %s\n", reproduce(f.Config))
	}
	return res.Verdict.ExitCode(), nil
}
