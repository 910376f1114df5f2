package cli

import (
	"fmt"
	"io"

	"github.com/orrery-sim/orrery/explore/actors"
	"github.com/orrery-sim/orrery/sim"
	"github.com/orrery-sim/orrery/traces"
)

// replayExplored replays a counterexample of simrun -explore -protocol: it
// rebuilds the explored model from the header, re-executes the order choices
// the events carry and compares every event, as replay does for a run.
func replayExplored(o *options, t *traces.Trace, stdout io.Writer) (int, error) {
	if o.shrink || o.until > 0 {
		return 0, usagef("%s: an explored path is already minimal and short: -shrink and -until do not apply", o.replay)
	}
	c, choices, err := actors.FromTrace(t)
	if err != nil {
		return 0, usagef("%s:1: %v", o.replay, err)
	}
	m, err := c.Model()
	if err != nil {
		return 0, usagef("%s:1: %v", o.replay, err)
	}
	run, err := c.Run(m, choices)
	if err != nil {
		return 0, usagef("%s: %v", o.replay, err)
	}
	cmpr := newComparer(t.Events, hasSummaries(t.Events))
	for i := range run.Events {
		cmpr.add(&run.Events[i])
		if o.verbose || o.step {
			fmt.Fprintf(stdout, "%6d %s\n", run.Events[i].Seq, run.Events[i].Desc)
		}
	}
	footer := run.Footer()
	if err := renderOutputs(o, &traces.Trace{Header: t.Header, Events: run.Events, Footer: footer}); err != nil {
		return 0, err
	}
	verdict, err := sim.ParseVerdict(footer.Verdict)
	if err != nil {
		return 0, err
	}
	code := verdict.ExitCode()
	if cmpr.diverged(len(cmpr.got)) {
		reportDivergence(stdout, cmpr)
		divergedNote(stdout, t)
		return exitDiverged, nil
	}
	if t.Footer != nil && (t.Footer.Verdict != footer.Verdict || t.Footer.Hash != footer.Hash) {
		fmt.Fprintf(stdout, "replay DIVERGED: recorded verdict %s hash %s, replay verdict %s hash %s\n",
			t.Footer.Verdict, t.Footer.Hash, footer.Verdict, footer.Hash)
		divergedNote(stdout, t)
		return exitDiverged, nil
	}
	fmt.Fprintf(stdout, "replay identical: %d explored steps, %d events, verdict %s, hash %s\n", len(choices), len(run.Events), footer.Verdict, footer.Hash)
	if run.Failure != "" {
		fmt.Fprintf(stdout, "  %s: %s\n", run.Failure, run.Reason)
	}
	return code, nil
}
