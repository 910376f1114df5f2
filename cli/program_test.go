package cli

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestProgramOfOnesOwn: a program built with Main names itself in the banner
// and in every command line it prints, and runs its first protocol when no
// -protocol is given.
func TestProgramOfOnesOwn(t *testing.T) {
	savedProgram, savedDefault, savedOwn := program, defaultProtocol, ownDefault
	t.Cleanup(func() { program, defaultProtocol, ownDefault = savedProgram, savedDefault, savedOwn })
	program, defaultProtocol, ownDefault = "mysim", "twopc", true

	code, out, errs := simrun(t, "-seed", "1", "-bug", "commit-without-all-votes")
	if code != 1 {
		t.Fatalf("exit %d, want 1 (safety):\n%s%s", code, out, errs)
	}
	for _, want := range []string{"orrery mysim\n", "  protocol     twopc\n", "reproduce:  mysim -protocol twopc -seed 1 "} {
		if !strings.Contains(out, want) {
			t.Errorf("run output lacks %q:\n%s", want, out)
		}
	}

	trace := filepath.Join(t.TempDir(), "ex.jsonl")
	code, out, errs = simrun(t, "-explore", "-bug", "commit-without-all-votes", "-trace", trace)
	if want := "; mysim -replay " + trace + ")"; code != 1 || !strings.Contains(out, want) {
		t.Errorf("explore: exit %d, output lacks %q:\n%s%s", code, want, out, errs)
	}
}
