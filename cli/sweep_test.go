package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// seedsIn reads the seeds and verdicts of a results file.
func seedsIn(t *testing.T, path string) map[uint64]string {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	got := map[uint64]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(raw)), "\n") {
		if strings.HasPrefix(line, `{"sweep"`) {
			continue
		}
		var s summary
		if err := json.Unmarshal([]byte(line), &s); err != nil {
			t.Fatalf("%s: %v", line, err)
		}
		if _, dup := got[s.Seed]; dup {
			t.Fatalf("seed %d recorded twice", s.Seed)
		}
		got[s.Seed] = s.Verdict + " " + s.Hash
	}
	return got
}

var sweepArgs = []string{"-protocol", "chat", "-bug", "no-hold-back", "-faults", "none", "-seeds", "1-30"}

// TestShardsCoverTheRange: the shards of a sweep together run every seed exactly
// once, with the verdicts of the unsharded sweep.
func TestShardsCoverTheRange(t *testing.T) {
	dir := t.TempDir()
	whole := filepath.Join(dir, "whole.jsonl")
	simrun(t, append(sweepArgs, "-results", whole)...)
	want := seedsIn(t, whole)
	if len(want) != 30 {
		t.Fatalf("whole sweep recorded %d seeds", len(want))
	}
	union := map[uint64]string{}
	for i := 0; i < 3; i++ {
		part := filepath.Join(dir, "part.jsonl")
		os.Remove(part)
		simrun(t, append(sweepArgs, "-shard", []string{"0/3", "1/3", "2/3"}[i], "-results", part, "-workers", "2")...)
		for seed, v := range seedsIn(t, part) {
			if (seed-1)%3 != uint64(i) {
				t.Fatalf("shard %d/3 ran seed %d", i, seed)
			}
			union[seed] = v
		}
	}
	if diff := cmp.Diff(want, union); diff != "" {
		t.Fatalf("shards differ from the whole sweep (-want +got):\n%s", diff)
	}
}

// TestResumeSkipsDoneSeeds: an interrupted sweep (here: a results file holding
// some seeds and a torn last line) resumes without redoing or losing seeds.
func TestResumeSkipsDoneSeeds(t *testing.T) {
	dir := t.TempDir()
	whole := filepath.Join(dir, "whole.jsonl")
	simrun(t, append(sweepArgs, "-results", whole)...)
	raw, _ := os.ReadFile(whole)
	lines := strings.SplitAfter(string(raw), "\n")
	partial := filepath.Join(dir, "partial.jsonl")
	torn := lines[11][:len(lines[11])/2]
	os.WriteFile(partial, []byte(strings.Join(lines[:11], "")+torn), 0o644) // the header and 10 seeds

	code, out, _ := simrun(t, append(sweepArgs, "-resume", partial)...)
	if !strings.Contains(out, "10 already in the results file") || !strings.Contains(out, "20 run") {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	if diff := cmp.Diff(seedsIn(t, whole), seedsIn(t, partial)); diff != "" {
		t.Fatalf("resumed results differ (-want +got):\n%s", diff)
	}
	code2, out2, _ := simrun(t, append(sweepArgs, "-resume", partial)...)
	if code2 != code || !strings.Contains(out2, "0 run") {
		t.Fatalf("second resume: exit %d (want %d)\n%s", code2, code, out2)
	}
}

func TestShardFlagErrors(t *testing.T) {
	for _, bad := range []string{"3/3", "x/2", "1", "0/0"} {
		code, _, stderr := simrun(t, append(sweepArgs, "-shard", bad)...)
		if code != 2 || !strings.Contains(stderr, "-shard: want I/N") {
			t.Errorf("-shard %s: exit %d, %q", bad, code, stderr)
		}
	}
}

// TestResumeRefusesAnotherSweep: a results file resumes only the sweep that
// wrote it: a differing protocol, bug, fault spec, config field, shard or
// version, a file without a sweep header, or a result whose verdict is not
// one, is bad input (exit 2) in one line naming what differs.
func TestResumeRefusesAnotherSweep(t *testing.T) {
	dir := t.TempDir()
	whole := filepath.Join(dir, "whole.jsonl")
	if code, out, errs := simrun(t, append(sweepArgs, "-results", whole)...); code != 1 {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	raw, _ := os.ReadFile(whole)
	lines := strings.SplitAfter(string(raw), "\n")
	edited := func(name string, edit func(lines []string) []string) string {
		path := filepath.Join(dir, name)
		os.WriteFile(path, []byte(strings.Join(edit(append([]string(nil), lines...)), "")), 0o644)
		return path
	}
	noHeader := edited("noheader.jsonl", func(l []string) []string { return l[1:] })
	otherVersion := edited("version.jsonl", func(l []string) []string {
		l[0] = strings.Replace(l[0], `"version":"`, `"version":"v0.0.1 `, 1)
		return l
	})
	badVerdict := edited("verdict.jsonl", func(l []string) []string {
		l[3] = strings.Replace(l[3], `"verdict":"`, `"verdict":"x`, 1)
		return l
	})
	sharded := filepath.Join(dir, "shard.jsonl")
	simrun(t, append(sweepArgs, "-shard", "1/3", "-results", sharded)...)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"protocol", []string{"-protocol", "raft", "-seeds", "1-30", "-resume", whole}, `protocol differs: "chat" in the file, "raft" in this sweep`},
		{"bug", []string{"-protocol", "chat", "-faults", "none", "-seeds", "1-30", "-resume", whole}, `bug differs: "no-hold-back" in the file, none in this sweep`},
		{"faults", append(sweepArgs[:len(sweepArgs):len(sweepArgs)], "-faults", "swarm", "-swarm-cluster=false", "-resume", whole), `faults differs: "none" in the file, "swarm" in this sweep`},
		{"drawn cluster", append(sweepArgs[:len(sweepArgs):len(sweepArgs)], "-faults", "swarm", "-resume", whole), "nodes differs: 3 in the file, 0 in this sweep"}, // swarm draws them per seed
		{"nodes", append(sweepArgs[:len(sweepArgs):len(sweepArgs)], "-nodes", "4", "-resume", whole), "nodes differs: 3 in the file, 4 in this sweep"},
		{"fifo", append(sweepArgs[:len(sweepArgs):len(sweepArgs)], "-fifo", "-resume", whole), "fifo differs: false in the file, true in this sweep"},
		{"results too", append(sweepArgs[:len(sweepArgs):len(sweepArgs)], "-nodes", "4", "-results", whole), "nodes differs"},
		{"shard", append(sweepArgs[:len(sweepArgs):len(sweepArgs)], "-shard", "2/3", "-resume", sharded), `shard differs: "1/3" in the file, "2/3" in this sweep`},
		{"unsharded", append(sweepArgs[:len(sweepArgs):len(sweepArgs)], "-resume", sharded), `shard differs: "1/3" in the file, "0/1" in this sweep`},
		{"version", append(sweepArgs[:len(sweepArgs):len(sweepArgs)], "-resume", otherVersion), "version differs: \"v0.0.1 "},
		{"no header", append(sweepArgs[:len(sweepArgs):len(sweepArgs)], "-resume", noHeader), noHeader + ":1: no sweep header"},
		{"verdict", append(sweepArgs[:len(sweepArgs):len(sweepArgs)], "-resume", badVerdict), badVerdict + `:4: unknown verdict "x`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := simrun(t, tt.args...)
			if code != 2 || strings.Count(errs, "\n") != 1 || !strings.Contains(errs, tt.want) {
				t.Fatalf("exit %d, stderr %q; want 2 and one line with %q\n%s", code, errs, tt.want, out)
			}
		})
	}
	after, _ := os.ReadFile(whole)
	if string(after) != string(raw) {
		t.Errorf("a refused sweep changed the results file")
	}
}

// TestResumeDerivesExitCodes: the exit code and reproduce line of a seed read
// back come from its verdict and the sweep, never from the file.
func TestResumeDerivesExitCodes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.jsonl")
	simrun(t, append(sweepArgs, "-results", path)...)
	raw, _ := os.ReadFile(path)
	tampered := strings.NewReplacer(`"exit_code":1`, `"exit_code":-1`, `"exit_code":0`, `"exit_code":-1`).Replace(string(raw))
	tampered = regexp.MustCompile(`"reproduce":"[^"]*"`).ReplaceAllString(tampered, `"reproduce":""`)
	os.WriteFile(path, []byte(tampered), 0o644)
	code, out, errs := simrun(t, append(sweepArgs, "-resume", path)...)
	if code != 1 || !strings.Contains(out, "0 run") || !regexp.MustCompile(`reproduce:  simrun -protocol chat -seed \d+ -bug no-hold-back`).MatchString(out) {
		t.Fatalf("exit %d, want 1 and a reproduce line\n%s%s", code, out, errs)
	}
}

// TestInterruptedSweep: a sweep interrupted (Ctrl-C) exits 130 and says how
// many seeds ran and how to continue, never PASS; the printed command
// continues it to the verdict of an uninterrupted sweep.
func TestInterruptedSweep(t *testing.T) {
	defer func(f func(chan<- os.Signal)) { notifyInterrupt = f }(notifyInterrupt)
	path := filepath.Join(t.TempDir(), "r.jsonl")
	notifyInterrupt = func(c chan<- os.Signal) { // once a few seeds are in
		go func() {
			for start := time.Now(); time.Since(start) < time.Minute; time.Sleep(time.Millisecond) {
				if raw, _ := os.ReadFile(path); strings.Count(string(raw), "\n") > 3 {
					break
				}
			}
			c <- os.Interrupt
		}()
	}
	args := []string{"-protocol", "chat", "-faults", "none", "-seeds", "1-500", "-workers", "2", "-results", path}
	code, out, errs := simrun(t, args...)
	ran := regexp.MustCompile(`result      INTERRUPTED: ran (\d+) of 500 seeds`).FindStringSubmatch(out)
	if code != exitInterrupted || ran == nil || ran[1] == "0" || strings.Contains(out, "PASS") {
		t.Fatalf("exit %d, want %d and INTERRUPTED\n%s%s", code, exitInterrupted, out, errs)
	}
	resume := regexp.MustCompile(`resume:     simrun (.*)\n`).FindStringSubmatch(out)
	if resume == nil || !strings.Contains(resume[1], "-seeds 1-500 ") || !strings.HasSuffix(resume[1], "-resume "+path) {
		t.Fatalf("no resume command:\n%s", out)
	}
	code, _, errs = simrun(t, append(args, "-json")...)
	if want := "already holds"; code != exitUsage || !strings.Contains(errs, want) {
		t.Errorf("-results again: exit %d, want %d and %q (it would record seeds twice), stderr %q", code, exitUsage, want, errs)
	}
	json := filepath.Join(t.TempDir(), "j.jsonl")
	code, _, errs = simrun(t, "-protocol", "chat", "-faults", "none", "-seeds", "1-500", "-workers", "2", "-results", json, "-json")
	if code != exitInterrupted || !strings.Contains(errs, "INTERRUPTED") {
		t.Errorf("-json: exit %d, want %d, stderr %q", code, exitInterrupted, errs)
	}
	notifyInterrupt = func(c chan<- os.Signal) { c <- os.Interrupt }
	_, out, _ = simrun(t, "-protocol", "chat", "-faults", "none", "-seeds", "1-500")
	if !strings.Contains(out, "results were not saved") {
		t.Errorf("without -results: output lacks that results were not saved:\n%s", out)
	}
	notifyInterrupt = func(chan<- os.Signal) {}
	code, out, errs = simrun(t, strings.Fields(resume[1])...)
	if code != 0 || !strings.Contains(out, "result      PASS") || !strings.Contains(out, "already in the results file") {
		t.Fatalf("resumed: exit %d\n%s%s", code, out, errs)
	}
	if got := len(seedsIn(t, path)); got != 500 {
		t.Fatalf("the results file holds %d seeds, want 500", got)
	}
}

// TestSweepReportsPanics: a property that panics makes a seed's verdict
// panic (exit 4) with the seed listed; the sweep goes on.
func TestSweepReportsPanics(t *testing.T) {
	code, out, errs := simrun(t, "-protocol", "explore-panicky-always", "-faults", "none", "-time", "1s", "-liveness", "1s", "-seeds", "1-4", "-workers", "2")
	if code != 4 || !strings.Contains(out, "result      FAIL: 4 of 4 seeds failed") ||
		!strings.Contains(out, "seed 1        panic    panic: property reads-nil: assignment to entry in nil map") {
		t.Fatalf("exit %d, want 4\n%s%s", code, out, errs)
	}
}

// TestSweepListsOneLinePerSeed: a reason of several lines is cut to its
// first in the list of failing seeds, which says how many more there are.
func TestSweepListsOneLinePerSeed(t *testing.T) {
	tests := []struct{ reason, want string }{
		{"x ≠ y", "x ≠ y"},
		{"x ≠ y\n", "x ≠ y"},
		{"illegal\n  prefix: 2 ops\n  1. put\n", "illegal (and 2 more lines: run the seed)"},
	}
	for _, tt := range tests {
		if got := firstLine(tt.reason); got != tt.want {
			t.Errorf("firstLine(%q) = %q, want %q", tt.reason, got, tt.want)
		}
	}
	code, out, _ := simrun(t, "-protocol", "raft", "-bug", "stale-read", "-seeds", "3-3")
	want := "  seed 3        safety   linearizability: 86 operations: verdict: illegal (and 57 more lines: run the seed)\nreproduce:"
	if code != 1 || !strings.Contains(out, want) {
		t.Errorf("exit %d, output lacks %q:\n%s", code, want, out)
	}
}
