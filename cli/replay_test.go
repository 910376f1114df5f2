package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/orrery-sim/orrery/sim"

	"github.com/orrery-sim/orrery/internal/version"
	"github.com/orrery-sim/orrery/traces"
)

// TestReplayDivergence: a trace whose recorded event differs from what the code
// does now (here: edited) is reported at that event, with the events before
// it and a field-by-field diff.
func TestReplayDivergence(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "t.jsonl")
	if code, out, errs := simrun(t, "-protocol", "chat", "-seed", "15", "-bug", "no-hold-back", "-trace", path); code != 1 {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	tr, err := traces.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	tr.Events[40].Text = "edited"
	edited := filepath.Join(dir, "edited.jsonl")
	writeTrace(t, edited, tr)
	code, out, _ := simrun(t, "-replay", edited)
	for _, want := range []string{"replay DIVERGED at event 41", "  same ", "(-recorded +replayed)", "Text:", `"edited"`} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if code != exitDiverged {
		t.Errorf("exit %d, want %d (the trace no longer reproduces)", code, exitDiverged)
	}
}

func writeTrace(t *testing.T, path string, tr *traces.Trace) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := traces.NewWriter(f, &tr.Header)
	for i := range tr.Events {
		w.Event(&tr.Events[i])
	}
	if err := w.Close(tr.Footer); err != nil {
		t.Fatal(err)
	}
}

// recordTrace runs simrun with args and -trace, and reads the trace back.
func recordTrace(t *testing.T, args ...string) (string, *traces.Trace) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "t.jsonl")
	if code, out, errs := simrun(t, append(args, "-trace", path)...); code != 0 && code != 1 {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	tr, err := traces.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if tr.Header.Version != version.String() {
		t.Errorf("header version %q, want %q", tr.Header.Version, version.String())
	}
	return path, tr
}

// TestDivergedReplayExits5: a replay that no longer reproduces its trace exits
// 5 whatever the replayed verdict (here a passing run), whether an event or
// only the footer differs, also when asked to shrink it; it names the
// versions when another build wrote the trace.
func TestDivergedReplayExits5(t *testing.T) {
	_, tr := recordTrace(t, "-protocol", "chat", "-seed", "2")
	dir := t.TempDir()
	edit := func(name string, change func(*traces.Trace)) string {
		c := *tr
		c.Events = append([]traces.Event(nil), tr.Events...)
		footer := *tr.Footer
		c.Footer = &footer
		change(&c)
		path := filepath.Join(dir, name)
		writeTrace(t, path, &c)
		return path
	}
	event := edit("event.jsonl", func(c *traces.Trace) { c.Events[9].Text = "edited" })
	hash := edit("hash.jsonl", func(c *traces.Trace) { c.Footer.Hash = "0123456789abcdef" })
	old := edit("old.jsonl", func(c *traces.Trace) { c.Events[9].Text = "edited"; c.Header.Version = "" })
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"-replay", event}, []string{"replay DIVERGED at event 10", "on the version that wrote it"}},
		{[]string{"-replay", hash}, []string{"replay DIVERGED: recorded verdict pass hash 0123456789abcdef"}},
		{[]string{"-replay", old}, []string{"note        trace written by version unknown; this is " + version.String(),
			"the code changed from version unknown to " + version.String()}},
		{[]string{"-replay", event, "-shrink", "-o", filepath.Join(dir, "min.jsonl")}, []string{"nothing to shrink"}},
		{[]string{"-replay", event, "-until", "20"}, []string{"replay DIVERGED at event 10"}},
	}
	for _, tt := range tests {
		code, out, errs := simrun(t, tt.args...)
		if code != exitDiverged {
			t.Errorf("%v: exit %d, want %d\n%s%s", tt.args, code, exitDiverged, out, errs)
		}
		for _, want := range tt.want {
			if !strings.Contains(out, want) {
				t.Errorf("%v: output lacks %q:\n%s", tt.args, want, out)
			}
		}
	}
}

// TestReplayUntil: -until N replays the recorded run, liveness phase and heal
// included, compares the events up to N and prints the state after event N,
// numbered N even when its step ran on; past the last event it is bad input.
func TestReplayUntil(t *testing.T) {
	path, tr := recordTrace(t, "-protocol", "chat", "-seed", "3")
	var phase, mid uint64
	for i, e := range tr.Events {
		if e.Kind == traces.KindPhase {
			phase = e.Seq
		}
		if i+1 < len(tr.Events) && !beginsStep(tr.Events[i+1].Kind) && beginsStep(e.Kind) && mid == 0 {
			mid = e.Seq // a step that emits more events after this one
		}
	}
	last := uint64(len(tr.Events))
	if phase == 0 || mid == 0 {
		t.Fatalf("no liveness phase (%d) or multi-event step (%d) in %d events", phase, mid, last)
	}
	for _, n := range []uint64{mid, phase + 5, last} {
		code, out, errs := simrun(t, "-replay", path, "-until", fmt.Sprint(n), "-v")
		want := []string{fmt.Sprintf("replay identical up to event %d of %d\n", n, last), fmt.Sprintf("state after event %d (", n)}
		if n > phase {
			want = append(want, "liveness phase: faults healed")
		}
		if n == mid {
			want = append(want, fmt.Sprintf("(event %d's step ran on to event ", n))
		}
		for _, w := range want {
			if !strings.Contains(out, w) {
				t.Errorf("-until %d: output lacks %q:\n%.3000s", n, w, out)
			}
		}
		if code != 0 || errs != "" {
			t.Errorf("-until %d: exit %d, stderr %q", n, code, errs)
		}
		if strings.Contains(out, fmt.Sprintf("%6d ", n+1)) {
			t.Errorf("-until %d: printed event %d", n, n+1)
		}
	}
	code, _, errs := simrun(t, "-replay", path, "-until", fmt.Sprint(last+1))
	if wantErr := fmt.Sprintf("its last event is %d", last); code != 2 || !strings.Contains(errs, wantErr) {
		t.Errorf("-until past the end: exit %d, stderr %q, want 2 and %q", code, errs, wantErr)
	}
	code, _, errs = simrun(t, "-protocol", "chat", "-seed", "3", "-until", "10", "-trace", filepath.Join(t.TempDir(), "x.jsonl"))
	if code != 2 || !strings.Contains(errs, "-trace: not with -until") {
		t.Errorf("-until with -trace: exit %d, stderr %q", code, errs)
	}
	code, _, errs = simrun(t, "-protocol", "chat", "-seed", "3", "-until", "1000000000000")
	if wantErr := fmt.Sprintf("the run ended at event %d", last); code != 2 || !strings.Contains(errs, wantErr) {
		t.Errorf("run -until past the end: exit %d, stderr %q, want 2 and %q", code, errs, wantErr)
	}
}

// TestFailureAt: a failure's report puts where it failed on the property's
// line, before the reason, and indents a reason of several lines under it, so
// nothing is glued onto the reason's last line.
func TestFailureAt(t *testing.T) {
	tests := []struct {
		name   string
		reason string
		want   string
	}{
		{"one line", "a got two pongs", "  p at 1500ms, event 7: a got two pongs\n"},
		{"several lines", "3 operations: verdict: illegal\nkey \"a\": illegal (3 ops)\n  cannot place next:\n",
			"  p at 1500ms, event 7: 3 operations: verdict: illegal\n    key \"a\": illegal (3 ops)\n      cannot place next:\n"},
	}
	for _, tc := range tests {
		r := &sim.Result{Verdict: sim.VerdictSafety, Property: "p", Reason: tc.reason, At: 1500 * sim.Millisecond, Seq: 7}
		if diff := cmp.Diff(tc.want, failureAt("  ", r)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
}

// TestReplayFailureLines: the replay of a run that fails with a
// linearizability explanation names the property, time and event first and
// ends with the explanation's own last line.
func TestReplayFailureLines(t *testing.T) {
	path, tr := recordTrace(t, "-protocol", "raft", "-seed", "3", "-bug", "stale-read")
	if tr.Footer == nil || tr.Footer.Property != "linearizability" {
		t.Fatalf("want a linearizability failure, got footer %+v", tr.Footer)
	}
	code, out, _ := simrun(t, "-replay", path)
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	head := fmt.Sprintf("  linearizability at %v, event %d: ", sim.Time(tr.Footer.End), tr.Footer.Events)
	at := slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(l, head) })
	if code != 1 || at < 0 {
		t.Fatalf("exit %d, want 1 and a line starting %q:\n%s", code, head, out)
	}
	reason := strings.Split(tr.Footer.Reason, "\n")
	if got, want := lines[len(lines)-1], "    "+reason[len(reason)-1]; got != want {
		t.Errorf("last line:\n%q\nwant\n%q", got, want)
	}
}

// TestReplayUntilNotStarted: -until tells an agent that has not started yet
// (a client held back by -start-at) from one whose box is down: before its
// Start it is "not started", after a crash "down", up it shows its summary.
func TestReplayUntilNotStarted(t *testing.T) {
	path, tr := recordTrace(t, "-protocol", "chat", "-seed", "3", "-start-at", "c1=50ms", "-faults", "at 10ms crash n1")
	var crash, c1Start uint64
	for _, e := range tr.Events {
		switch {
		case e.Kind == traces.KindCrash && e.Type == "n1":
			crash = e.Seq
		case e.Kind == traces.KindStart && e.Node == "c1":
			c1Start = e.Seq
		}
	}
	if crash == 0 || c1Start <= crash {
		t.Fatalf("want n1's crash before c1's start, got events %d and %d", crash, c1Start)
	}
	tests := []struct {
		until  uint64
		states map[string]string // agent -> the state's first word(s)
	}{
		{1, map[string]string{"n1": "up", "n2": "not started", "c1": "not started"}},
		{crash, map[string]string{"n1": "down", "n2": "up", "c1": "not started"}},
		{c1Start, map[string]string{"n1": "down", "n2": "up", "c1": "up"}},
	}
	line := regexp.MustCompile(`(?m)^  (\S+) +(.*)$`)
	for _, tc := range tests {
		code, out, errs := simrun(t, "-replay", path, "-until", fmt.Sprint(tc.until))
		if code != 0 || errs != "" {
			t.Fatalf("-until %d: exit %d, stderr %q", tc.until, code, errs)
		}
		got := map[string]string{}
		for _, m := range line.FindAllStringSubmatch(out, -1) {
			if _, ok := tc.states[m[1]]; ok {
				got[m[1]] = m[2]
				if m[2] != "down" && m[2] != "not started" {
					got[m[1]] = "up"
				}
			}
		}
		if diff := cmp.Diff(tc.states, got); diff != "" {
			t.Errorf("-until %d: states (-want +got):\n%s\n%s", tc.until, diff, out)
		}
	}
}

// TestShrinkReplayStep: -shrink writes a trace that -replay reproduces
// identically, with the same exit code; -step shows node states; -perfetto
// writes JSON.
func TestShrinkReplayStep(t *testing.T) {
	dir := t.TempDir()
	min, perfetto := filepath.Join(dir, "min.jsonl"), filepath.Join(dir, "min.json")
	code, out, errs := simrun(t, "-protocol", "chat", "-seed", "1", "-bug", "no-dedupe", "-shrink", "-o", min)
	if code != 1 || !strings.Contains(out, "shrunk      safety no-duplicate-delivery") || !strings.Contains(errs, "shrink: done") {
		t.Fatalf("shrink: exit %d\n%s%s", code, out, errs)
	}
	code, out, _ = simrun(t, "-replay", min, "-perfetto", perfetto)
	if code != 1 || !strings.Contains(out, "replay identical") {
		t.Fatalf("replay of the shrunk trace: exit %d\n%s", code, out)
	}
	var v map[string]any
	if b, err := os.ReadFile(perfetto); err != nil || json.Unmarshal(b, &v) != nil {
		t.Fatalf("-perfetto wrote no JSON: %v", err)
	}
	_, out, _ = simrun(t, "-replay", min, "-step")
	if !strings.Contains(out, "0.000000s n1 start\n       n1: ") {
		t.Fatalf("-step output:\n%.600s", out)
	}
	code, out, _ = simrun(t, "-replay", min, "-shrink", "-o", filepath.Join(dir, "again.jsonl"))
	if code != 1 || !strings.Contains(out, "shrunk") {
		t.Fatalf("shrinking a shrunk trace: exit %d\n%s", code, out)
	}
}

// TestShrinkBadInput: bad input exits 2 with one line naming it.
func TestShrinkBadInput(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no output", []string{"-protocol", "chat", "-seed", "1", "-shrink"}, "-shrink: want -o FILE"},
		{"unwritable output", []string{"-protocol", "chat", "-seed", "1", "-shrink", "-o", filepath.Join(t.TempDir(), "no", "x.jsonl")}, "-o: open"},
		{"unwritable html", []string{"-protocol", "chat", "-seed", "1", "-faults", "none", "-html", filepath.Join(t.TempDir(), "no", "x.html")}, "-html: open"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := simrun(t, tt.args...)
			lines := strings.Split(strings.TrimSpace(stderr), "\n")
			if code != 2 || len(lines) != 1 || !strings.Contains(stderr, tt.want) {
				t.Fatalf("exit %d, stderr %q; want exit 2 and one line containing %q", code, stderr, tt.want)
			}
		})
	}
}
