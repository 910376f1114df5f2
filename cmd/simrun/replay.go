package main

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/orrery-sim/orrery/harness"
	"github.com/orrery-sim/orrery/scheduler"
	"github.com/orrery-sim/orrery/traces"
)

// replayContextEvents is how many events before a divergence are shown.
const replayContextEvents = 5

// replay re-runs a trace file from its header and recorded choices and compares
// every event with the recorded one.
func replay(o *options, stdout, stderr io.Writer) (int, error) {
	t, err := traces.ReadFile(o.replay)
	if err != nil {
		return 0, usageError{err.Error()}
	}
	var cfg harness.Config
	if err := json.Unmarshal(t.Header.Config, &cfg); err != nil {
		return 0, usagef("%s:1: header config: %v", o.replay, err)
	}
	var log []scheduler.Choice
	for _, e := range t.Events {
		for _, c := range e.Choices {
			choice, _ := traces.DecodeChoice(c) // validated by the reader
			log = append(log, choice)
		}
	}
	var got []traces.Event
	out, err := harness.Run(cfg, harness.RunOptions{
		Chooser: scheduler.NewReplay(log),
		Observe: func(e *traces.Event) { got = append(got, *e) },
		Until:   o.until,
	})
	if err != nil {
		return 0, usagef("%s: %v", o.replay, err)
	}
	if o.verbose {
		for _, e := range got {
			fmt.Fprintf(stdout, "%6d %s\n", e.Seq, e.Desc)
		}
	}
	if o.until > 0 {
		printWorld(stdout, out)
		return out.Result.Verdict.ExitCode(), nil
	}
	if i, ok := firstDivergence(t.Events, got); ok {
		reportDivergence(stdout, t.Events, got, i)
		return out.Result.Verdict.ExitCode(), nil
	}
	r := &out.Result
	if t.Footer != nil && (t.Footer.Verdict != r.Verdict.String() || t.Footer.Hash != r.HashString()) {
		fmt.Fprintf(stdout, "replay DIVERGED: recorded verdict %s hash %s, replay verdict %s hash %s\n",
			t.Footer.Verdict, t.Footer.Hash, r.Verdict, r.HashString())
		return r.Verdict.ExitCode(), nil
	}
	fmt.Fprintf(stdout, "replay identical: %d events, verdict %s, hash %s\n", r.Events, r.Verdict, r.HashString())
	if r.Failed() {
		fmt.Fprintf(stdout, "  %s: %s at %v, event %d\n", r.Property, r.Reason, r.At, r.Seq)
	}
	return r.Verdict.ExitCode(), nil
}

func firstDivergence(want, got []traces.Event) (int, bool) {
	for i := 0; i < min(len(want), len(got)); i++ {
		if want[i].Desc != got[i].Desc || want[i].Time != got[i].Time {
			return i, true
		}
	}
	if len(want) != len(got) {
		return min(len(want), len(got)), true
	}
	return 0, false
}

func reportDivergence(w io.Writer, want, got []traces.Event, i int) {
	fmt.Fprintf(w, "replay DIVERGED at event %d\n", i+1)
	for k := max(0, i-replayContextEvents); k < i; k++ {
		fmt.Fprintf(w, "  same      %s\n", want[k].Desc)
	}
	show := func(label string, events []traces.Event) {
		if i < len(events) {
			fmt.Fprintf(w, "  %-9s %s\n", label, events[i].Desc)
		} else {
			fmt.Fprintf(w, "  %-9s (no event: the run ended)\n", label)
		}
	}
	show("recorded", want)
	show("replayed", got)
}
