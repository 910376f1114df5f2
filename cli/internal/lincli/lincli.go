package lincli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	lin "github.com/orrery-sim/orrery/checkers/linearizability"
	"github.com/orrery-sim/orrery/internal/exitcode"
	"github.com/orrery-sim/orrery/internal/memlimit"
	"github.com/orrery-sim/orrery/internal/quote"
)

// stepsShownMax cuts long prefixes in text output; the HTML view has all.
const stepsShownMax = 30

// Exit codes of Run (internal/exitcode): ok, illegal, bad input, unknown.
const (
	ExitOk       = exitcode.OK
	ExitIllegal  = exitcode.Safety
	ExitBadInput = exitcode.Usage
	ExitUnknown  = exitcode.Liveness
)

// Options are the command-line settings.
type Options struct {
	File    string        // the history file
	Model   string        // a name from linearizability.ModelNames; "" picks one from the history
	Format  string        // edn, etcd or kv; "" detects it
	HTML    string        // where to write the HTML view; "" for none
	Timeout time.Duration // 0 for none
	JSON    bool          // print one JSON object instead of text
	// MaxMemory stops the check (verdict unknown) once the process holds
	// this many bytes; 0 means no bound.
	MaxMemory uint64
}

// memoryPollInterval spaces the memory polls of a check: the checker offers
// no hook of its own, so a watcher samples the process beside it.
const memoryPollInterval = 20 * time.Millisecond

// report is the JSON form of a run.
type report struct {
	File       string      `json:"file"`
	Format     string      `json:"format"`
	Model      string      `json:"model"`
	Operations int         `json:"operations"`
	Partitions int         `json:"partitions"`
	Verdict    string      `json:"verdict"`
	CheckNanos int64       `json:"check_ns"`
	Failures   []failure   `json:"failures,omitempty"`
	HTML       string      `json:"html,omitempty"`
	Reason     string      `json:"reason,omitempty"`
	explain    *lin.Result `json:"-"`
	// memoryStop is set when the memory bound stopped the check.
	memoryStop *memlimit.Exceeded
}

// failure is one failing partition in JSON form; operations are indices in
// the history (file order of invocations).
type failure struct {
	Partition  string `json:"partition"`
	Prefix     []int  `json:"prefix"`
	Candidates []int  `json:"cannot_place"`
	Deadline   int    `json:"deadline"`
}

// Run checks o.File and reports on stdout; it returns the exit code.
func Run(o Options, stdout, stderr io.Writer) int {
	rep, err := run(o)
	if err != nil {
		fmt.Fprintln(stderr, oneLine(err.Error()))
		return ExitBadInput
	}
	if rep.memoryStop != nil {
		fmt.Fprintf(stderr, "simrun -history: stopped by -max-memory %s (%s in use); raise -max-memory\n",
			memlimit.Format(rep.memoryStop.Limit), memlimit.Format(rep.memoryStop.InUse))
	}
	if o.JSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			fmt.Fprintln(stderr, oneLine(err.Error()))
			return ExitBadInput
		}
	} else {
		printText(stdout, rep)
	}
	switch rep.Verdict {
	case lin.Ok.String():
		return ExitOk
	case lin.Illegal.String():
		return ExitIllegal
	}
	return ExitUnknown
}

func run(o Options) (*report, error) {
	if o.File == "" {
		return nil, fmt.Errorf("no history file given")
	}
	if o.Model != "" {
		if _, ok := lin.Lookup(o.Model); !ok {
			return nil, fmt.Errorf("unknown model %s (want one of %s)", quote.Q(o.Model), strings.Join(lin.ModelNames(), ", "))
		}
	}
	f, err := os.Open(o.File)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	records, format, err := lin.ParseHistory(o.File, f, o.Format)
	if err != nil {
		return nil, err
	}
	name := o.Model
	if name == "" {
		name = lin.DefaultModel(format, records)
	}
	model, _ := lin.Lookup(name)
	check, err := model.Prepare(o.File, records)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	restore := memlimit.CollectBelow(o.MaxMemory)
	ctx, stop := memlimit.Watch(context.Background(), o.MaxMemory, memoryPollInterval)
	res := check(ctx, lin.Options{Timeout: o.Timeout})
	stop()
	restore()
	rep := &report{File: o.File, Format: format, Model: name, Operations: len(records), Partitions: len(res.Partitions),
		Verdict: res.Verdict.String(), CheckNanos: time.Since(start).Nanoseconds(), explain: &res}
	if res.Err != nil {
		rep.Reason = res.Err.Error()
		if exceeded, ok := context.Cause(ctx).(*memlimit.Exceeded); ok && res.Verdict == lin.Unknown {
			rep.memoryStop, rep.Reason = exceeded, exceeded.Error()
		}
	}
	for _, p := range res.Explain().Partitions {
		if p.Verdict == lin.Illegal {
			rep.Failures = append(rep.Failures, failureOf(p))
		}
	}
	if o.HTML != "" {
		if err := writeHTML(o.HTML, res); err != nil {
			return nil, err
		}
		rep.HTML = o.HTML
	}
	return rep, nil
}

func failureOf(p lin.PartitionView) failure {
	f := failure{Partition: p.Name, Prefix: []int{}, Candidates: []int{}, Deadline: p.Deadline}
	for _, s := range p.Steps {
		f.Prefix = append(f.Prefix, s.Op)
	}
	for _, s := range p.Stuck {
		f.Candidates = append(f.Candidates, s.Op)
	}
	return f
}

func writeHTML(path string, res lin.Result) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := res.Explain().WriteHTML(f); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	return f.Close()
}

func printText(w io.Writer, rep *report) {
	fmt.Fprintf(w, "history: %s (format %s, model %s, %d operations, %d partitions)\n",
		rep.File, rep.Format, rep.Model, rep.Operations, rep.Partitions)
	fmt.Fprintf(w, "verdict: %s (checked in %s)\n", rep.Verdict, time.Duration(rep.CheckNanos).Round(time.Microsecond))
	if rep.Reason != "" {
		fmt.Fprintf(w, "reason: %s\n", rep.Reason)
	}
	if rep.Verdict == lin.Illegal.String() {
		text := rep.explain.Explain().Text(stepsShownMax)
		// The first line repeats the verdict.
		_, rest, _ := strings.Cut(text, "\n")
		fmt.Fprint(w, rest)
	}
	if rep.HTML != "" {
		fmt.Fprintf(w, "html: %s\n", rep.HTML)
	}
}

// oneLine keeps an error message to a single line for stderr.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
