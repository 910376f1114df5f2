package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var examplesDir = filepath.Join("..", "examples")

func TestConfigExamplesPass(t *testing.T) {
	for _, name := range []string{"kvs.json", "chat.json", "multicast.json"} {
		code, out, errOut := simrun(t, "-config", filepath.Join(examplesDir, name), "-seed", "1")
		if code != 0 || !strings.Contains(out, "protocol     ovid") {
			t.Errorf("%s: exit %d\n%s%s", name, code, out, errOut)
		}
	}
}

func TestConfigBadExits2WithPath(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	bad := filepath.Join(examplesDir, "bad.json")
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"-config", bad}, bad + `: agents[2].routes["db"][0].agent: no agent "kv9"`},
		{[]string{"-config", write("syntax.json", "{\n  \"agents\": [,]\n}")}, "syntax.json: line 2, column 14: invalid character"},
		{[]string{"-config", write("type.json", `{"agents": [{"id": "a", "type": "nope"}]}`)}, `agents[0].type: unknown type "nope"`},
		{[]string{"-config", filepath.Join(dir, "missing.json")}, "-config: open"},
		{[]string{"-config", filepath.Join(examplesDir, "kvs.json"), "-nodes", "7"}, "fixes 2 servers and 4 other agents"},
	}
	for _, tt := range tests {
		code, _, errOut := simrun(t, tt.args...)
		if code != exitUsage || !strings.Contains(errOut, tt.want) || strings.Count(errOut, "\n") != 1 {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 and %q", tt.args, code, errOut, tt.want)
		}
	}
}

// TestConfigReplayAndReproduce: a trace of a -config run replays from its header
// alone, and a failing run's reproduce line names the file.
func TestConfigReplayAndReproduce(t *testing.T) {
	dir := t.TempDir()
	// Two clients reach the same keys through different servers: the history
	// cannot be linearizable once they interleave: a read misses a write
	// that completed before it began (read-fresh, at the read).
	split := filepath.Join(dir, "split.json")
	text := `{"agents": [
	  {"id": "kv1", "type": "kv-server"}, {"id": "kv2", "type": "kv-server"},
	  {"id": "c1", "type": "kv-client", "attrs": {"keys": ["a"]}, "routes": {"db": [{"agent": "kv1", "port": "client"}]}},
	  {"id": "c2", "type": "kv-client", "attrs": {"keys": ["a"]}, "routes": {"db": [{"agent": "kv2", "port": "client"}]}}]}`
	if err := os.WriteFile(split, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	trace := filepath.Join(dir, "split.jsonl")
	code, out, _ := simrun(t, "-config", split, "-seed", "1", "-faults", "none", "-trace", trace)
	if code != 1 || !strings.Contains(out, "read-fresh") || !strings.Contains(out, "reproduce:  simrun -config "+split+" -seed 1") {
		t.Fatalf("exit %d, want 1 with a reproduce line naming the file:\n%s", code, out)
	}
	if err := os.Remove(split); err != nil { // the trace must not need the file
		t.Fatal(err)
	}
	code, out, errOut := simrun(t, "-replay", trace)
	if code != 1 || !strings.Contains(out, "replay identical") {
		t.Fatalf("replay: exit %d\n%s%s", code, out, errOut)
	}
}
