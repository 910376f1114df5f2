package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/orrery-sim/orrery/traces"
)

// TestReplayDivergence: a trace whose recorded event differs from what the code
// does now (here: edited) is reported at that event, with the events before
// it and a field-by-field diff.
func TestReplayDivergence(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "t.jsonl")
	if code, out, errs := simrun(t, "-protocol", "chat", "-seed", "13", "-bug", "no-hold-back", "-trace", path); code != 1 {
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
	if code != 1 {
		t.Errorf("exit %d, want the replayed verdict's 1", code)
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
