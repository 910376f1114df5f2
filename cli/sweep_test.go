package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

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
	torn := lines[10][:len(lines[10])/2]
	os.WriteFile(partial, []byte(strings.Join(lines[:10], "")+torn), 0o644)

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
