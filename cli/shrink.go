package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/orrery-sim/orrery/harness"
	"github.com/orrery-sim/orrery/shrink"
	"github.com/orrery-sim/orrery/sim"
	"github.com/orrery-sim/orrery/traces"
)

// shrinkSeed minimises the run of -protocol/-seed (-shrink without -replay).
func shrinkSeed(o *options, stdout, stderr io.Writer) (int, error) {
	c, out, err := shrink.FromSeed(o.cfg)
	if err != nil {
		return 0, usageError{err.Error()}
	}
	if never := coverageNever(out); len(never) > 0 {
		// Coverage is a campaign's: there is no failing schedule to shrink,
		// but the run's exit code stays what the run itself gives.
		fmt.Fprintf(stdout, "result      FAIL (coverage): sometimes %s never held in this run; nothing to shrink\n", strings.Join(never, ", "))
		return runExitCode(out), nil
	}
	return shrinkCase(o, c, stdout, stderr)
}

// shrinkCase minimises c, writes the smallest failing run found as an ordinary
// trace file (-o), and reports the sizes before and after.
func shrinkCase(o *options, c shrink.Case, stdout, stderr io.Writer) (int, error) {
	if o.output == "" {
		return 0, usagef("-shrink: want -o FILE, the shrunk trace to write")
	}
	f, err := os.Create(o.output) // before the search: an unwritable path fails at once
	if err != nil {
		return 0, usagef("-o: %v", err)
	}
	defer f.Close()
	res, err := shrink.Shrink(c, shrink.Options{RunsMax: o.shrinkRuns, Time: o.shrinkTime, Progress: stderr})
	if errors.Is(err, shrink.ErrNotFailing) {
		f.Close()
		os.Remove(o.output)
		fmt.Fprintln(stdout, "result      PASS: the run does not fail; nothing to shrink")
		return 0, nil
	}
	if err != nil {
		return 0, usageError{err.Error()}
	}
	var buf bytes.Buffer
	out, err := res.Case.Run(harness.RunOptions{Trace: &buf})
	if err != nil {
		return 0, usageError{err.Error()}
	}
	if _, err := f.Write(buf.Bytes()); err != nil {
		return 0, usagef("-o: %v", err)
	}
	if err := f.Close(); err != nil {
		return 0, usagef("-o: %v", err)
	}
	printShrink(stdout, res, o.output)
	r := &out.Result
	fmt.Fprintf(stdout, "result      FAIL (%s): %s at %v, event %d\n            %s\n", r.Verdict, r.Property, r.At, r.Seq, r.Reason)
	printPanicSite(stdout, "            ", r)
	t, err := traces.Read(&buf)
	if err != nil {
		return 0, fmt.Errorf("re-reading the shrunk trace: %v", err)
	}
	return out.Result.Verdict.ExitCode(), renderOutputs(o, t)
}

func printShrink(w io.Writer, r *shrink.Result, path string) {
	fmt.Fprintf(w, "shrunk      %s in %d runs, %v%s\n", r.Failure, r.Runs, r.Elapsed.Round(time.Millisecond), exhausted(r.Exhausted))
	row := func(name string, before, after any) { fmt.Fprintf(w, "  %-11s %12v → %v\n", name, before, after) }
	b, a := r.Before, r.After
	row("events", b.Events, a.Events)
	row("faults", b.Faults, a.Faults)
	row("operations", b.Ops, a.Ops)
	row("clients", b.Clients, a.Clients)
	row("nodes", b.Nodes, a.Nodes)
	row("choices", b.Choices, a.Choices)
	row("safety", b.Safety, a.Safety)
	row("liveness", b.Liveness, a.Liveness)
	if r.Failure.Verdict == sim.VerdictLiveness && a.Liveness < b.Liveness {
		fmt.Fprintf(w, "            the shrunk run fails %s with the original liveness bound, %v, too, every server ending as it ends here (checked)\n", r.Failure.Property, b.Liveness)
	}
	fmt.Fprintf(w, "trace       %s\n", path)
	fmt.Fprintf(w, "replay:     %s -replay %s\n", program, shellQuote(path))
}

func exhausted(out bool) string {
	if out {
		return " (budget spent: the result may shrink further)"
	}
	return ""
}
