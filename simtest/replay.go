package simtest

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"testing"

	"pgregory.net/rapid"

	"github.com/orrery-sim/orrery/harness"
	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/scheduler"
	"github.com/orrery-sim/orrery/traces"
	"github.com/orrery-sim/orrery/viz"
)

var (
	replayFlag  = flag.String("simtest.replay", "", "simtest: replay this trace file in Check instead of searching")
	replayVerbs = flag.Bool("simtest.v", false, "simtest: with -simtest.replay, log every event of the replay")
	htmlFlag    = flag.String("simtest.html", "", "simtest: write the HTML view of the failing (or replayed) trace to this file")
)

// writeHTML renders the trace file at path to -simtest.html, if given.
func writeHTML(path string) error {
	if *htmlFlag == "" {
		return nil
	}
	t, err := traces.ReadFile(path)
	if err != nil {
		return err
	}
	var page bytes.Buffer
	if err := viz.WriteHTML(&page, t, viz.Options{}); err != nil {
		return err
	}
	if err := os.WriteFile(*htmlFlag, page.Bytes(), 0o644); err != nil {
		return fmt.Errorf("simtest: -simtest.html: %v", err)
	}
	return nil
}

// Replay re-runs a trace file of protocol p (nil: the registered protocol the
// header names) from its recorded choices, fails t at the first event that
// differs from the recorded one, and returns the outcome. A test binary that
// defines a protocol without registering it replays that protocol's traces
// this way, since simrun can only run registered protocols.
func Replay(t rapid.TB, file string, p *protocols.Protocol) *harness.Outcome {
	t.Helper()
	tr, err := traces.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := writeHTML(file); err != nil {
		t.Fatal(err)
	}
	cfg, err := harness.DecodeConfig(tr.Header.Config)
	if err != nil {
		t.Fatalf("%s: header config: %v", file, err)
	}
	if p != nil && cfg.Protocol != p.Name {
		t.Fatalf("%s is a trace of %s, not %s", file, cfg.Protocol, p.Name)
	}
	var log []scheduler.Choice
	for _, e := range tr.Events {
		for _, c := range e.Choices {
			choice, _ := traces.DecodeChoice(c) // validated by the reader
			log = append(log, choice)
		}
	}
	var got []traces.Event
	out, err := harness.Run(cfg, harness.RunOptions{
		Chooser:  scheduler.NewReplay(log),
		Observe:  func(e *traces.Event) { got = append(got, *e) },
		Protocol: p,
	})
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	if *replayVerbs {
		for _, e := range got {
			t.Logf("%6d %s", e.Seq, e.Desc)
		}
	}
	for i := range max(len(got), len(tr.Events)) {
		if i >= len(got) || i >= len(tr.Events) || got[i].Desc != tr.Events[i].Desc || got[i].Time != tr.Events[i].Time {
			t.Errorf("%s: replay diverged at event %d:\n  recorded %s\n  replayed %s", file, i+1, desc(tr.Events, i), desc(got, i))
			break
		}
	}
	return out
}

func desc(events []traces.Event, i int) string {
	if i < len(events) {
		return events[i].Desc
	}
	return "(no event: the run ended)"
}

// replayInCheck is Check under -simtest.replay: the replay's verdict is the
// test's.
func replayInCheck(t testing.TB, s Spec) {
	t.Helper()
	out := Replay(t, *replayFlag, s.Protocol)
	r := out.Result
	if r.Failed() {
		t.Fatalf("simtest: replayed %s: %s at %v (event %d): %s", *replayFlag, headline(&r), r.At, r.Seq, r.Reason)
	}
	t.Logf("simtest: replayed %s: %d events, pass", *replayFlag, r.Events)
}

// replayFailure is Find under -simtest.replay.
func replayFailure(t rapid.TB, s Spec) *Failure {
	t.Helper()
	out := Replay(t, *replayFlag, s.Protocol)
	if !out.Result.Failed() {
		return nil
	}
	return &Failure{Config: out.Config, Result: out.Result, Trace: *replayFlag, Command: "(replayed)"}
}
