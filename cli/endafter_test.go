package cli

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestEndAfterReplays: a run ended by -end-after stops at that event, and its
// trace (whose config carries the bound) replays identically.
func TestEndAfterReplays(t *testing.T) {
	path := filepath.Join(t.TempDir(), "end.jsonl")
	if code, out, errs := simrun(t, "-protocol", "chat", "-seed", "42", "-end-after", "40", "-trace", path); code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	code, out, _ := simrun(t, "-replay", path)
	if code != 0 || !strings.Contains(out, "replay identical: 40 events") {
		t.Fatalf("replay: exit %d\n%s", code, out)
	}
}
