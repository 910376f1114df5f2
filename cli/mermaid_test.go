package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMermaidFlag: -mermaid writes the failing run's causal slice, from a run
// and from a replay alike, and keeps the run's exit code.
func TestMermaidFlag(t *testing.T) {
	dir := t.TempDir()
	trace, fromRun, fromReplay := filepath.Join(dir, "t.jsonl"), filepath.Join(dir, "run.mmd"), filepath.Join(dir, "replay.mmd")
	if code, out, errs := simrun(t, "-protocol", "chat", "-seed", "1", "-bug", "no-dedupe", "-trace", trace, "-mermaid", fromRun); code != 1 {
		t.Fatalf("run: exit %d\n%s%s", code, out, errs)
	}
	if code, out, errs := simrun(t, "-replay", trace, "-mermaid", fromReplay); code != 1 {
		t.Fatalf("replay: exit %d\n%s%s", code, out, errs)
	}
	a, errA := os.ReadFile(fromRun)
	b, errB := os.ReadFile(fromReplay)
	if errA != nil || errB != nil || string(a) != string(b) || !strings.HasPrefix(string(a), "sequenceDiagram\n") ||
		!strings.Contains(string(a), "VIOLATION no-duplicate-delivery") {
		t.Fatalf("-mermaid wrote (%v, %v):\n%s\n---\n%s", errA, errB, a, b)
	}
}
