package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestReplayPrintsSummaries: -until and -step print each agent's summary (role,
// term, commit for Raft), never a Go value dump; a trace written before
// summaries existed still replays identically.
func TestReplayPrintsSummaries(t *testing.T) {
	dir := t.TempDir()
	trace := filepath.Join(dir, "t.jsonl")
	if code, out, errs := simrun(t, "-protocol", "raft", "-seed", "1", "-time", "1s", "-liveness", "1s", "-trace", trace); code != 0 {
		t.Fatalf("run: exit %d\n%s%s", code, out, errs)
	}
	dump := regexp.MustCompile(`0x[0-9a-f]{6,}|&\{|\*raft\.`)
	_, out, _ := simrun(t, "-replay", trace, "-until", "300")
	if !regexp.MustCompile(`(?m)^  n1 +(leader|follower|candidate|precandidate) term=\d+ commit=\d+`).MatchString(out) ||
		!regexp.MustCompile(`(?m)^  c1 +(idle|waiting) `).MatchString(out) || dump.MatchString(out) {
		t.Fatalf("-until output:\n%s", out)
	}
	_, out, _ = simrun(t, "-replay", trace, "-step")
	if !strings.Contains(out, "\n       n1: follower term=0 commit=0") || dump.MatchString(out) {
		t.Fatalf("-step output:\n%.1500s", out)
	}
	raw, err := os.ReadFile(trace)
	if err != nil {
		t.Fatal(err)
	}
	old := regexp.MustCompile(`,"summary":"(?:[^"\\]|\\.)*"`).ReplaceAll(raw, nil)
	if len(old) == len(raw) {
		t.Fatal("the trace has no summaries")
	}
	oldTrace := filepath.Join(dir, "old.jsonl")
	os.WriteFile(oldTrace, old, 0o644)
	if code, out, _ := simrun(t, "-replay", oldTrace); code != 0 || !strings.Contains(out, "replay identical") {
		t.Fatalf("replay of a trace without summaries: exit %d\n%s", code, out)
	}
}
