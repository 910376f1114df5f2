package explorecli

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	_ "github.com/orrery-sim/orrery/protocols/raft"
	_ "github.com/orrery-sim/orrery/protocols/twopc"
)

func TestRun(t *testing.T) {
	tests := []struct {
		name       string
		options    Options
		wantCode   int
		wantStdout []string
		wantStderr string
	}{
		{"twophase", Options{Model: "twophase", RMs: 3}, ExitOK,
			[]string{"twophase(rms=3): complete", "states=288 generated=1146 depth=11", "always TCConsistent: holds"}, ""},
		{"symmetry-dfs", Options{Model: "twophase", RMs: 3, Symmetry: true, DFS: true}, ExitOK,
			[]string{"states=80 "}, ""},
		{"paxos", Options{Model: "paxos", RMs: 3, Workers: 2}, ExitOK, []string{"states=3921 "}, ""},
		{"bug", Options{Model: "twophase", RMs: 2, Bug: true}, ExitViolation,
			[]string{"counterexample for TCConsistent (8 states):", "RMChooseToAbort(rm1)", "rmState=[rm1=aborted rm2=committed]"}, ""},
		{"states-limit", Options{Model: "twophase", RMs: 4, MaxStates: 10}, ExitLimit, []string{"limit=states"}, ""},
		{"timeout", Options{Model: "twophase", RMs: 9, Timeout: time.Nanosecond}, ExitLimit, []string{"limit=timeout"},
			"simrun -explore: stopped by -timeout 1ns after "},
		{"memory", Options{Model: "twophase", RMs: 9, MaxMemory: 1}, ExitLimit, []string{"limit=memory"},
			"simrun -explore: stopped by -max-memory 1B after 1 states"},
		{"memory-dfs", Options{Model: "paxos", RMs: 3, DFS: true, MaxMemory: 1}, ExitLimit, []string{"limit=memory", "visited-set-bytes/state="},
			"stopped by -max-memory 1B"},
		{"random", Options{Model: "twophase", RMs: 3, Random: true, Seed: 1, Walks: 10}, ExitLimit, []string{"limit=walks"}, ""},
		{"unknown-model", Options{Model: "raft"}, ExitUsage, nil, "unknown model \"raft\" (models: paxos, twophase)"},
		{"dfs-and-random", Options{Model: "twophase", DFS: true, Random: true}, ExitUsage, nil, "exclude each other"},
		{"too-many-rms", Options{Model: "twophase", RMs: 17}, ExitUsage, nil, "17 resource managers"},
		{"negative", Options{Model: "twophase", MaxDepth: -1}, ExitUsage, nil, "must not be negative"},
		{"paxos-symmetry", Options{Model: "paxos", Symmetry: true}, ExitUsage, nil, "no symmetry"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := Run(tt.options, &stdout, &stderr)
			if code != tt.wantCode {
				t.Errorf("exit %d, want %d; stdout:\n%s\nstderr:\n%s", code, tt.wantCode, stdout.String(), stderr.String())
			}
			for _, want := range tt.wantStdout {
				if !strings.Contains(stdout.String(), want) {
					t.Errorf("stdout lacks %q:\n%s", want, stdout.String())
				}
			}
			if tt.wantStderr != "" {
				lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
				if len(lines) != 1 || !strings.Contains(lines[0], tt.wantStderr) {
					t.Errorf("stderr %q, want one line containing %q", stderr.String(), tt.wantStderr)
				}
			}
		})
	}
}

func TestJSON(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := Run(Options{Model: "twophase", RMs: 3, JSON: true}, &stdout, &stderr); code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	var got map[string]any
	if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
		t.Fatalf("stdout is not one JSON object: %v\n%s", err, stdout.String())
	}
	for _, key := range []string{"seconds", "states_per_sec", "bytes_per_state", "visited_bytes_per_state"} {
		if _, ok := got[key].(float64); !ok {
			t.Errorf("missing number %q in %s", key, stdout.String())
		}
	}
	want := map[string]any{"model": "twophase(rms=3)", "states": 288.0, "generated": 1146.0, "depth": 11.0, "result": "complete"}
	pinned := map[string]any{}
	for key := range want {
		pinned[key] = got[key]
	}
	if diff := cmp.Diff(want, pinned); diff != "" {
		t.Errorf("JSON (-want +got):\n%s", diff)
	}
}

func TestList(t *testing.T) {
	var out bytes.Buffer
	List(&out)
	if !strings.Contains(out.String(), "twophase") || !strings.Contains(out.String(), "paxos") {
		t.Errorf("List: %q", out.String())
	}
}

// The stateless search of a protocol's agents (-dpor): exit codes as for the
// other searches, its counts on their own line, and a depth bound required.
func TestRunDPOR(t *testing.T) {
	tests := []struct {
		name       string
		options    Options
		wantCode   int
		wantStdout []string
		wantStderr string
	}{
		{"depth", Options{Protocol: "twopc", Nodes: 2, DPOR: true, MaxDepth: 7}, ExitLimit,
			[]string{"strategy=dpor workers=1", "limit (dpor, 1 workers) limit=depth", "dpor: executions="}, ""},
		{"bug", Options{Protocol: "twopc", Nodes: 2, BugName: "forget-yes-vote", CrashesMax: 1, DPOR: true, MaxDepth: 9}, ExitViolation,
			[]string{"counterexample for validity", "why: validity"}, ""},
		{"memory", Options{Protocol: "twopc", Nodes: 2, DPOR: true, MaxDepth: 12, MaxMemory: 1}, ExitLimit,
			[]string{"limit=memory"}, "stopped by -max-memory 1B"},
		{"no-depth", Options{Protocol: "twopc", Nodes: 2, DPOR: true}, ExitUsage, nil, "-dpor: the stateless search (dpor) needs a depth bound"},
		{"dfs", Options{Protocol: "raft", DPOR: true, DFS: true}, ExitUsage, nil, "-dpor excludes -dfs and -random"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := Run(tt.options, &stdout, &stderr)
			if code != tt.wantCode {
				t.Errorf("exit %d, want %d; stdout:\n%s\nstderr:\n%s", code, tt.wantCode, stdout.String(), stderr.String())
			}
			for _, want := range tt.wantStdout {
				if !strings.Contains(stdout.String(), want) {
					t.Errorf("stdout lacks %q:\n%s", want, stdout.String())
				}
			}
			if tt.wantStderr != "" && !strings.Contains(stderr.String(), tt.wantStderr) {
				t.Errorf("stderr %q, want %q", stderr.String(), tt.wantStderr)
			}
		})
	}
}

func TestDPORJSON(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := Run(Options{Protocol: "twopc", Nodes: 2, DPOR: true, MaxDepth: 6, JSON: true}, &stdout, &stderr); code != ExitLimit {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	var got map[string]any
	if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
		t.Fatalf("stdout is not one JSON object: %v\n%s", err, stdout.String())
	}
	for _, key := range []string{"executions", "sleep_blocked", "events", "cut_states", "states"} {
		if _, ok := got[key].(float64); !ok {
			t.Errorf("missing number %q in %s", key, stdout.String())
		}
	}
	if got["strategy"] != "dpor" || got["limit"] != "depth" {
		t.Errorf("strategy %v limit %v, want dpor and depth", got["strategy"], got["limit"])
	}
}

// -max-crashes beyond what the protocol tolerates down at once is said on
// stdout (on stderr under -json), not silently spent on nothing: raft on one
// server tolerates no crash, on three one box down at a time.
func TestCrashNote(t *testing.T) {
	tests := []struct {
		name               string
		options            Options
		wantStdout, wantNo string
		wantStderr         string
	}{
		{"none-tolerated", Options{Protocol: "raft", Nodes: 1, CrashesMax: 1},
			"  -max-crashes 1 explores no crash: raft with nodes=1 tolerates no server box down at once", "", ""},
		{"one-at-a-time", Options{Protocol: "raft", Nodes: 3, CrashesMax: 2, MaxDepth: 2},
			"  -max-crashes 2: at most 1 server box down at once, later crashes follow a restart: raft with nodes=3 tolerates 1 server box", "", ""},
		{"within", Options{Protocol: "raft", Nodes: 3, CrashesMax: 1, MaxDepth: 2}, "", "-max-crashes", ""},
		{"json", Options{Protocol: "raft", Nodes: 1, CrashesMax: 1, JSON: true, Program: "mysim"}, "", "-max-crashes",
			"mysim -explore: -max-crashes 1 explores no crash"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			Run(tt.options, &stdout, &stderr)
			if !strings.Contains(stdout.String(), tt.wantStdout) {
				t.Errorf("stdout lacks %q:\n%s", tt.wantStdout, stdout.String())
			}
			if tt.wantNo != "" && strings.Contains(stdout.String(), tt.wantNo) {
				t.Errorf("stdout has %q:\n%s", tt.wantNo, stdout.String())
			}
			if !strings.Contains(stderr.String(), tt.wantStderr) {
				t.Errorf("stderr lacks %q:\n%s", tt.wantStderr, stderr.String())
			}
		})
	}
}
