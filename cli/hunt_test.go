package cli

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestHunt: -hunt finds a planted bug from a base seed, exits as a sweep
// would (1 for a safety failure, 0 when nothing fails), writes the failing
// run's trace and prints a -replay line that reproduces it; a branched run
// replays like any other. Bad strategies and conflicting flags are exit 2.
func TestHunt(t *testing.T) {
	dir := t.TempDir()
	for _, strategy := range []string{"random", "novelty", "pct"} {
		t.Run(strategy, func(t *testing.T) {
			trace := filepath.Join(dir, strategy+".jsonl")
			code, stdout, stderr := simrun(t, "-protocol", "paxos", "-bug", "promise-not-synced", "-hunt", strategy, "-runs", "400", "-seed", "1", "-workers", "2", "-trace", trace)
			if code != 1 || !strings.Contains(stdout, "reproduce:  simrun -replay "+trace) || !strings.Contains(stdout, "acceptor-durable") {
				t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
			}
			code, stdout, _ = simrun(t, "-replay", trace)
			if code != 1 || !strings.Contains(stdout, "replay identical") {
				t.Fatalf("replay: exit %d\n%s", code, stdout)
			}
		})
	}
	code, stdout, _ := simrun(t, "-protocol", "chat", "-runs", "3", "-faults", "none", "-workers", "2")
	if code != 0 || !strings.Contains(stdout, "PASS: no failing run in 3 runs") {
		t.Fatalf("clean hunt: exit %d\n%s", code, stdout)
	}
	for _, args := range [][]string{{"-hunt", "bogus"}, {"-hunt", "random", "-seeds", "1-3"}, {"-runs", "-1"}, {"-hunt", "novelty", "-sched", "pct"}} {
		if code, _, stderr := simrun(t, args...); code != 2 || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 and one line", args, code, stderr)
		}
	}
}
