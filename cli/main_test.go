package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func simrun(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// TestBadInputExits2 checks that every kind of bad input gives exit 2 and exactly
// one line on stderr naming the problem.
func TestBadInputExits2(t *testing.T) {
	dir := t.TempDir()
	garbage := filepath.Join(dir, "garbage.jsonl")
	os.WriteFile(garbage, []byte("{\"format\":\"orrery-trace/1\",\"protocol\":\"chat\",\"seed\":1,\"config\":{},\"options\":[]}\nnot json\n"), 0o644)
	empty := filepath.Join(dir, "empty.jsonl")
	os.WriteFile(empty, nil, 0o644)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown protocol", []string{"-protocol", "nope"}, `unknown protocol "nope"`},
		{"malformed seeds", []string{"-seeds", "10-x"}, "-seeds: want A-B"},
		{"reversed seeds", []string{"-seeds", "9-3"}, "-seeds: want A-B"},
		{"unknown flag", []string{"-frobnicate"}, "flag provided but not defined"},
		{"missing trace", []string{"-replay", filepath.Join(dir, "missing.jsonl")}, "no such file"},
		{"malformed trace", []string{"-replay", garbage}, "garbage.jsonl:2: event"},
		{"empty trace", []string{"-replay", empty}, "not an orrery trace"},
		{"unknown bug", []string{"-bug", "nope"}, `has no bug "nope"`},
		{"too many nodes", []string{"-protocol", "chat", "-nodes", "1000"}, "needs 1 to 64 nodes"},
		{"bad duration", []string{"-time", "soon"}, "-time: bad duration"},
		{"bad delay", []string{"-delay", "5ms"}, "-delay: want MIN..MAX"},
		{"bad workers", []string{"-seeds", "1-2", "-workers", "0"}, "-workers"},
		{"stray argument", []string{"extra"}, `unexpected argument "extra"`},
		{"malformed param", []string{"-param", "nokey"}, "-param: want KEY=VALUE"},
		{"malformed start", []string{"-start-at", "c1"}, "start-at: item 1: want AGENT=TIME"},
		{"start of a server", []string{"-start-at", "n1=5ms"}, `start-at: "n1" is a server`},
		{"start of nobody", []string{"-start-at", "c9=5ms"}, `start-at: no agent "c9"`},
		{"skip of nobody", []string{"-skip", "c9#1"}, `skip: no client "c9" in this run`},
		{"skip of a server", []string{"-skip", "n1#1"}, `skip: "n1" is a server`},
		{"start after the safety phase", []string{"-start-at", "c1=20s"}, "not within the safety phase"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := simrun(t, tt.args...)
			lines := strings.Split(strings.TrimSpace(stderr), "\n")
			if code != 2 || len(lines) != 1 || !strings.Contains(stderr, tt.want) {
				t.Fatalf("exit %d, stderr %q; want exit 2 and one line containing %q", code, stderr, tt.want)
			}
		})
	}
}

// TestTraceFileIsByteIdentical is the determinism contract: the same seed gives a
// byte-identical trace file, whatever GOMAXPROCS is.
func TestTraceFileIsByteIdentical(t *testing.T) {
	dir := t.TempDir()
	var files [3][]byte
	for i := range files {
		if i == 2 {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
		}
		path := filepath.Join(dir, "t.jsonl")
		if code, out, errs := simrun(t, "-protocol", "chat", "-seed", "42", "-trace", path); code != 0 {
			t.Fatalf("exit %d\n%s%s", code, out, errs)
		}
		files[i], _ = os.ReadFile(path)
	}
	if len(files[0]) == 0 || !bytes.Equal(files[0], files[1]) || !bytes.Equal(files[0], files[2]) {
		t.Fatal("trace files differ between runs")
	}
}

func TestReplayIsIdentical(t *testing.T) {
	path := filepath.Join(t.TempDir(), "fail.jsonl")
	code, out, _ := simrun(t, "-protocol", "chat", "-seed", "15", "-bug", "no-hold-back", "-trace", path)
	if code != 1 || !strings.Contains(out, "reproduce:") {
		t.Fatalf("planted bug not caught on seed 15: exit %d\n%s", code, out)
	}
	code, out, _ = simrun(t, "-replay", path)
	if code != 1 || !strings.Contains(out, "replay identical") {
		t.Fatalf("replay: exit %d\n%s", code, out)
	}
}

// TestSweepIndependentOfWorkers: verdicts and hashes do not depend on -workers.
func TestSweepIndependentOfWorkers(t *testing.T) {
	args := []string{"-protocol", "chat", "-seeds", "1-40", "-bug", "no-dedupe", "-json"}
	_, one, _ := simrun(t, append(args, "-workers", "1")...)
	_, two, _ := simrun(t, append(args, "-workers", "3")...)
	strip := func(s string) string { // wall time differs; everything else must not
		var b strings.Builder
		for _, line := range strings.Split(s, "\n") {
			if i := strings.Index(line, `"wall_ms"`); i >= 0 {
				j := strings.Index(line[i:], ",")
				line = line[:i] + line[i+j+1:]
			}
			b.WriteString(line + "\n")
		}
		return b.String()
	}
	if strip(one) != strip(two) || strings.Count(one, "\n") != 40 {
		t.Fatalf("sweeps differ:\n%s\n---\n%s", one, two)
	}
}

func TestCheckDeterminism(t *testing.T) {
	code, out, _ := simrun(t, "-protocol", "chat", "-seed", "5", "-check-determinism")
	if code != 0 || !strings.HasPrefix(out, "deterministic: 2 runs") {
		t.Fatalf("exit %d: %s", code, out)
	}
}

func TestListNamesProtocolsAndBugs(t *testing.T) {
	_, out, _ := simrun(t, "-list")
	for _, want := range []string{"chat", "no-dedupe", "no-hold-back", "swarm"} {
		if !strings.Contains(out, want) {
			t.Errorf("-list lacks %q:\n%s", want, out)
		}
	}
}

// TestHistoryAndExploreModes: the checker modes keep the exit-code contract.
func TestHistoryAndExploreModes(t *testing.T) {
	data := filepath.Join("..", "checkers", "linearizability", "testdata")
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"linearizable history", []string{"-history", filepath.Join(data, "register.edn"), "-model", "cas-register"}, 0, "verdict: ok"},
		{"illegal history", []string{"-history", filepath.Join(data, "register-bad.edn"), "-model", "register"}, 1, "verdict: illegal"},
		{"model checking", []string{"-explore", "-model", "twophase", "-rms", "3"}, 0, "states=288 generated=1146 depth=11"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := simrun(t, tt.args...)
			if code != tt.code || !strings.Contains(out, tt.want) {
				t.Fatalf("exit %d (want %d)\n%s%s", code, tt.code, out, errs)
			}
		})
	}
	if code, _, _ := simrun(t, "-history", filepath.Join(t.TempDir(), "missing.edn")); code != 2 {
		t.Fatalf("missing history: exit %d, want 2", code)
	}
}
