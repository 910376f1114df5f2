package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/orrery-sim/orrery/harness"
	"github.com/orrery-sim/orrery/sim"
)

// FuzzReadResults: whatever a results file holds, reading it never panics,
// and what it accepts is of the sweep: seeds in the range, exit codes and
// reproduce lines derived from the verdicts.
func FuzzReadResults(f *testing.F) {
	cfg, _, err := harness.Config{Protocol: "chat", Bug: "no-hold-back", Faults: "none"}.Resolve()
	if err != nil {
		f.Fatal(err)
	}
	p := &plan{lo: 1, hi: 30, of: 1, total: 30, todo: 30}
	want := newSweepHeader(cfg, p)
	dir := f.TempDir()
	valid := filepath.Join(dir, "valid.jsonl")
	if code, out, errs := simrunIn(append(sweepArgs, "-results", valid)); code != 1 {
		f.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	raw, _ := os.ReadFile(valid)
	f.Add(string(raw))
	lines := strings.SplitAfter(string(raw), "\n")
	f.Add(lines[0])
	f.Add(lines[0] + lines[1][:20])
	f.Add(strings.Join(lines[1:], ""))
	f.Add(lines[0] + strings.Replace(lines[2], `"verdict":"pass"`, `"verdict":"safety"`, 1))
	f.Add(`{"sweep":null}` + "\n")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		path := filepath.Join(t.TempDir(), "r.jsonl")
		os.WriteFile(path, []byte(s), 0o644)
		done, err := readResults("-resume", path, want, p)
		if err != nil {
			if msg := err.Error(); strings.Contains(msg, "\n") || !strings.HasPrefix(msg, "-resume ") {
				t.Fatalf("error not one line naming the flag: %q", msg)
			}
			return
		}
		for seed, r := range done {
			v, err := sim.ParseVerdict(r.Verdict)
			if err != nil || seed < p.lo || seed > p.hi || r.Seed != seed || r.ExitCode != v.ExitCode() ||
				(v != sim.VerdictPass) != strings.Contains(r.Reproduce, " -seed ") || r.Protocol != "chat" {
				t.Fatalf("accepted %+v", r)
			}
		}
	})
}

func simrunIn(args []string) (int, string, string) {
	var stdout, stderr strings.Builder
	code := run(args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}
