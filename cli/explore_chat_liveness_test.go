package cli

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
)

// TestExploreChatLivenessBugReplays: the README's command finds chat's
// planted liveness bug as a lasso (exit 3), and -replay re-executes the
// trace file to the same liveness verdict.
func TestExploreChatLivenessBugReplays(t *testing.T) {
	trace := filepath.Join(t.TempDir(), "chat.jsonl")
	var out, errs bytes.Buffer
	args := []string{"-explore", "-protocol", "chat", "-nodes", "2", "-max-crashes", "1", "-eventually", "-bug", "sent-is-delivered", "-trace", trace}
	if code := run(args, &out, &errs); code != 3 {
		t.Fatalf("explore: exit %d, want 3\n%s%s", code, out.String(), errs.String())
	}
	for _, want := range []string{"eventually all-delivered: violated", "counterexample for all-delivered (9 states):",
		"--- cycle: steps 6-9 lead back to the state of step 5, for ever ---",
		"why: all-delivered: steps 6-9 repeat for ever without it: n2 has 0 of n1's entries, n1 has 1"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("explore output lacks %q:\n%s", want, out.String())
		}
	}
	out.Reset()
	if code := run([]string{"-replay", trace}, &out, &errs); code != 3 {
		t.Fatalf("replay: exit %d, want 3\n%s%s", code, out.String(), errs.String())
	}
	if !strings.Contains(out.String(), "replay identical: 9 explored steps, 14 events, verdict liveness") {
		t.Errorf("replay output:\n%s", out.String())
	}
}
