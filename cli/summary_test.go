package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/orrery-sim/orrery/harness"
	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/sim"
	"github.com/orrery-sim/orrery/traces"
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

// TestEveryAgentSummarizes: in a short run of every built-in protocol, every
// agent that handled an event has its state summarized in the trace, so the
// viewer draws a state track on every lane.
func TestEveryAgentSummarizes(t *testing.T) {
	builtIn := []string{"abd", "chat", "ovid", "paxos", "raft", "twopc"} // protocols/all (tests register others)
	for _, name := range builtIn {
		if _, err := protocols.Lookup(name); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range builtIn {
		t.Run(name, func(t *testing.T) {
			handled, summarized := map[string]bool{}, map[string]bool{}
			_, err := harness.Run(harness.Config{Protocol: name, Seed: 1, Safety: 500 * sim.Millisecond, Liveness: 500 * sim.Millisecond},
				harness.RunOptions{Observe: func(e *traces.Event) {
					switch e.Kind {
					case traces.KindStart, traces.KindRecv, traces.KindTimer:
						handled[e.Node] = true
					}
					if e.Summary != "" {
						summarized[e.Node] = true
					}
				}})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(handled, summarized); diff != "" || len(handled) < 2 {
				t.Errorf("agents that handled events (-) and agents summarized (+):\n%s", diff)
			}
		})
	}
}
