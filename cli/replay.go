package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/google/go-cmp/cmp"
	"github.com/orrery-sim/orrery/explore/actors"
	"github.com/orrery-sim/orrery/harness"
	"github.com/orrery-sim/orrery/internal/exitcode"
	"github.com/orrery-sim/orrery/internal/version"
	"github.com/orrery-sim/orrery/shrink"
	"github.com/orrery-sim/orrery/sim"
	"github.com/orrery-sim/orrery/traces"
)

// replayContextEvents is how many events before a divergence are shown.
const replayContextEvents = 5

// exitDiverged is the exit code of a replay that no longer reproduces its
// trace, whatever the replayed run's verdict.
const exitDiverged = exitcode.Diverged

// replay re-runs a trace file from its header and recorded choices and compares
// every event with the recorded one. With -shrink it minimises the trace
// instead; with -until N it replays the recorded run (its phases, heal and end)
// up to event N, compares the events up to N and prints every node's state
// there; with -step it prints each event with the state of the node that
// handled it.
func replay(o *options, stdout, stderr io.Writer) (int, error) {
	t, err := traces.ReadFile(o.replay)
	if err != nil {
		return 0, usageError{err.Error()}
	}
	noteVersion(stdout, t)
	if actors.IsTrace(t) {
		return replayExplored(o, t, stdout)
	}
	c, err := shrink.FromTrace(t)
	if err != nil {
		return 0, usagef("%s:1: %v", o.replay, err)
	}
	if last := uint64(len(t.Events)); o.until > last {
		return 0, usagef("-until %d: %s has %d events; its last event is %d", o.until, o.replay, last, last)
	}
	if o.shrink {
		// Shrinking a trace that no longer reproduces would minimise some other
		// run, or find nothing failing and say so.
		if code, diverged, err := replayCompare(o, t, c, io.Discard); err != nil || diverged {
			if diverged {
				fmt.Fprintln(stdout, "replay DIVERGED: the trace no longer reproduces; nothing to shrink (replay it to see where)")
				divergedNote(stdout, t)
			}
			return code, err
		}
		return shrinkCase(o, c, stdout, stderr)
	}
	code, _, err := replayCompare(o, t, c, stdout)
	return code, err
}

// replayCompare replays c and compares it with t, reporting on w. It returns
// the exit code and whether the replay diverged.
func replayCompare(o *options, t *traces.Trace, c shrink.Case, w io.Writer) (int, bool, error) {
	want := t.Events
	if o.until > 0 {
		want = want[:o.until]
	}
	cmpr := newComparer(want, hasSummaries(t.Events))
	steps := &stepPrinter{w: w}
	out, err := c.Run(harness.RunOptions{
		Ready: func(w *sim.World) { steps.world = w },
		Observe: func(e *traces.Event) {
			if o.until > 0 && e.Seq > o.until {
				return // the rest of event N's step
			}
			cmpr.add(e)
			if o.step {
				steps.observe(e)
			}
		},
		Until: o.until,
	})
	steps.flush()
	if err != nil {
		return 0, false, usagef("%s: %v", o.replay, err)
	}
	if o.verbose && !o.step {
		for _, e := range cmpr.got {
			fmt.Fprintf(w, "%6d %s\n", e.Seq, e.Desc)
		}
	}
	code := runExitCode(out)
	if o.until > 0 {
		code = out.Result.Verdict.ExitCode() // a stopped run judges no coverage
	}
	if err := renderOutputs(o, replayed(t, out, cmpr.got)); err != nil {
		return 0, false, err
	}
	if cmpr.diverged(len(cmpr.got)) {
		reportDivergence(w, cmpr)
		divergedNote(w, t)
		return exitDiverged, true, nil
	}
	r := &out.Result
	if o.until > 0 {
		fmt.Fprintf(w, "replay identical up to event %d of %d\n", o.until, len(t.Events))
		printWorld(w, out, o.until)
		return code, false, nil
	}
	if t.Footer != nil && (t.Footer.Verdict != r.Verdict.String() || t.Footer.Hash != r.HashString()) {
		fmt.Fprintf(w, "replay DIVERGED: recorded verdict %s hash %s, replay verdict %s hash %s\n",
			t.Footer.Verdict, t.Footer.Hash, r.Verdict, r.HashString())
		divergedNote(w, t)
		return exitDiverged, true, nil
	}
	fmt.Fprintf(w, "replay identical: %d events, verdict %s, hash %s\n", r.Events, r.Verdict, r.HashString())
	if r.Failed() {
		fmt.Fprint(w, failureAt("  ", r))
		printPanicSite(w, "  ", r)
	}
	return code, false, nil
}

// failureAt renders a failed run's property, where it failed and why, as
// "property at T, event N: reason" on a line that begins with indent. A reason
// of several lines (a linearizability explanation) goes on below, each line
// indented two more spaces than the first, so the block stays together and
// ends with the reason's own last line.
func failureAt(indent string, r *sim.Result) string {
	reason := strings.TrimRight(r.Reason, "\n")
	reason = strings.ReplaceAll(reason, "\n", "\n"+indent+"  ")
	return fmt.Sprintf("%s%s at %v, event %d: %s\n", indent, r.Property, r.At, r.Seq, reason)
}

// noteVersion says, in one line, when the trace was written by another build.
func noteVersion(w io.Writer, t *traces.Trace) {
	if recorded, running := version.Or(t.Header.Version), version.String(); recorded != running {
		fmt.Fprintf(w, "note        trace written by version %s; this is %s\n", recorded, running)
	}
}

// divergedNote says why a replay may have diverged: the code changed between
// the build that wrote the trace and this one.
func divergedNote(w io.Writer, t *traces.Trace) {
	recorded, running := version.Or(t.Header.Version), version.String()
	if recorded != running {
		fmt.Fprintf(w, "the trace no longer reproduces: the code changed from version %s to %s\n", recorded, running)
		return
	}
	fmt.Fprintf(w, "the trace no longer reproduces, on the version that wrote it (%s): uncommitted changes or nondeterminism\n", running)
}

// comparer checks replayed events against the recorded ones as they arrive and
// remembers the first that differs in any field.
type comparer struct {
	want, got []traces.Event
	at        int // index of the first divergent event, -1 while none
	seen      bool
	summaries bool // the recording has agent summaries (older traces have none)
}

// newComparer compares events with want; summaries says whether the
// recording has agent summaries to compare (older traces have none, and a
// recording without them is compared with the summaries left out).
func newComparer(want []traces.Event, summaries bool) *comparer {
	return &comparer{want: want, summaries: summaries}
}

func (c *comparer) add(e *traces.Event) {
	c.got = append(c.got, *e)
	i := len(c.got) - 1
	got := *e
	if !c.summaries {
		got.Summary = ""
	}
	if !c.seen && (i >= len(c.want) || !cmp.Equal(c.want[i], got)) {
		c.at, c.seen = i, true
	}
}

func hasSummaries(events []traces.Event) bool {
	for i := range events {
		if events[i].Summary != "" {
			return true
		}
	}
	return false
}

// diverged reports whether some event differed, or the runs differ in length
// (n events replayed).
func (c *comparer) diverged(n int) bool {
	if !c.seen && n < len(c.want) {
		c.at, c.seen = n, true
	}
	return c.seen
}

// reportDivergence prints the events before the first divergent one and a
// cmp.Diff of the recorded and the replayed event.
func reportDivergence(w io.Writer, c *comparer) {
	fmt.Fprintf(w, "replay DIVERGED at event %d\n", c.at+1)
	showDivergence(w, c, "recorded", "replayed")
}

// showDivergence prints the events before the first divergent one, that event
// as each run has it (want as a, got as b), and a cmp.Diff of the two.
func showDivergence(w io.Writer, c *comparer, a, b string) {
	i := c.at
	for k := max(0, i-replayContextEvents); k < i; k++ {
		fmt.Fprintf(w, "  %-9s %6d %s\n", "same", c.want[k].Seq, c.want[k].Desc)
	}
	show := func(label string, events []traces.Event) *traces.Event {
		if i < len(events) {
			fmt.Fprintf(w, "  %-9s %6d %s\n", label, events[i].Seq, events[i].Desc)
			return &events[i]
		}
		fmt.Fprintf(w, "  %-9s (no event: the run ended)\n", label)
		return nil
	}
	want, got := show(a, c.want), show(b, c.got)
	fmt.Fprintf(w, "event %d (-%s +%s):\n%s", i+1, a, b, cmp.Diff(want, got))
}

// stepPrinter prints events one per line, each step (an event that begins a
// handler or an action, and the events its handler emitted: invoke, note, ...)
// followed by the state of the node that handled it. The world hands an event
// to the trace when the next one is emitted or the step ends, and a handler's
// event is emitted before it runs, so the state read when a step's last event
// arrives is the state after that step.
type stepPrinter struct {
	w     io.Writer
	world *sim.World
	group []traces.Event
	state string
}

func (p *stepPrinter) observe(e *traces.Event) {
	if len(p.group) > 0 && beginsStep(e.Kind) {
		p.flush()
	}
	p.group = append(p.group, *e)
	p.state = p.stateOf(p.group[0].Node)
}

func (p *stepPrinter) flush() {
	for _, e := range p.group {
		fmt.Fprintf(p.w, "%6d %s\n", e.Seq, e.Desc)
	}
	if len(p.group) > 0 && p.state != "" {
		fmt.Fprintf(p.w, "       %s: %s\n", p.group[0].Node, p.state)
	}
	p.group = p.group[:0]
}

func (p *stepPrinter) stateOf(node string) string {
	if p.world == nil || node == "" {
		return ""
	}
	id, ok := p.world.Lookup(node)
	if !ok {
		return ""
	}
	return agentState(p.world, id)
}

// beginsStep reports whether an event of kind k starts a step of the world
// rather than being emitted by the handler of the step before.
func beginsStep(k traces.Kind) bool {
	switch k {
	case traces.KindInvoke, traces.KindReturn, traces.KindNote, traces.KindFail, traces.KindDrop:
		return false
	}
	return true
}

// replayed is the trace of a replay: the recorded header (its config is what
// ran) with the replayed events and outcome.
func replayed(t *traces.Trace, out *harness.Outcome, events []traces.Event) *traces.Trace {
	r := &out.Result
	return &traces.Trace{Header: t.Header, Events: events, Footer: &traces.Footer{Verdict: r.Verdict.String(),
		Property: r.Property, Reason: r.Reason, Events: r.Events, End: int64(r.End), Hash: r.HashString()}}
}
