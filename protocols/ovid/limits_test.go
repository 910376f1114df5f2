package ovid

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/orrery-sim/orrery/harness"
	"github.com/orrery-sim/orrery/protocols/ovid/cluster"
	"github.com/orrery-sim/orrery/sim"
)

// ttyCluster is a kv-server, a kv-client and a tty that sends it lines.
func ttyCluster(lines int, clientType string) []byte {
	script := make([]map[string]string, lines)
	for i := range script {
		script[i] = map[string]string{"at": fmt.Sprintf("%dms", i), "line": "get a"}
	}
	client := map[string]any{"id": "c1", "type": clientType, "routes": map[string]any{"db": []any{map[string]string{"agent": "s1", "port": "client"}}}}
	if clientType == "kv-client" {
		client["attrs"] = map[string]any{"workload": false}
	}
	c := map[string]any{"agents": []any{
		map[string]any{"id": "s1", "type": "kv-server"}, client,
		map[string]any{"id": "t", "type": "tty", "attrs": map[string]any{"script": script},
			"routes": map[string]any{"out": []any{map[string]string{"agent": "c1", "port": "tty"}}}},
	}}
	text, _ := json.Marshal(c)
	return text
}

// TestLimitsCheckedAtLoad: a cluster that would overload or confuse an agent
// at run time (a panic, exit 4) is refused when it is loaded, naming where.
func TestLimitsCheckedAtLoad(t *testing.T) {
	tests := []struct {
		name string
		text string
		want string
	}{
		{"tty lines over the client's queue", string(ttyCluster(kvLinesQueueMax+1, "kv-client")),
			"agents[1]: ttys send c1 257 lines, more than the 256 a kv-client queues"},
		{"chat client to a kv server", `{"agents": [{"id": "s1", "type": "kv-server"},
			{"id": "c1", "type": "chat-client", "routes": {"server": [{"agent": "s1", "port": "client"}]}}]}`,
			`agents[1].routes["server"][0].agent: s1 is a kv-server; route "server" sends only to chat-server agents`},
		{"tty to a kv server", `{"agents": [{"id": "s1", "type": "kv-server"},
			{"id": "t", "type": "tty", "attrs": {"script": [{"at": "1s", "line": "x"}]}, "routes": {"out": [{"agent": "s1", "port": "client"}]}}]}`,
			`agents[1].routes["out"][0].agent: s1 is a kv-server; route "out" sends only to kv-client, chat-server, chat-client agents`},
		{"kv backups to a chat server", `{"agents": [{"id": "c", "type": "chat-server"},
			{"id": "s1", "type": "kv-server", "routes": {"backups": [{"agent": "c", "port": "client"}]}}]}`,
			`route "backups" sends only to kv-server agents`},
		{"tty time without a unit", `{"agents": [{"id": "s", "type": "chat-server"},
			{"id": "t", "type": "tty", "attrs": {"script": [{"at": "2", "line": "x"}]}, "routes": {"out": [{"agent": "s", "port": "tty"}]}}]}`,
			`agents[1].attrs.script[0].at: bad time "2" (want e.g. 250ms, 1.5s)`},
	}
	for _, tt := range tests {
		_, err := cluster.Parse([]byte(tt.text))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want %q", tt.name, err, tt.want)
		}
	}
	chat := `{"agents": [{"id": "s", "type": "chat-server"},
		{"id": "a", "type": "chat-client", "attrs": {"messages": 40000}, "routes": {"server": [{"agent": "s", "port": "client"}]}},
		{"id": "b", "type": "chat-client", "attrs": {"messages": 40000}, "routes": {"server": [{"agent": "s", "port": "client"}]}}]}`
	if _, err := cluster.Parse([]byte(chat)); err == nil || !strings.Contains(err.Error(), "agents[0]: its clients and ttys can make s originate 80000 entries") {
		t.Errorf("a chat-server with more entries than a peer holds back: %v", err)
	}
	if _, err := cluster.Parse(ttyCluster(kvLinesQueueMax, "kv-client")); err != nil {
		t.Errorf("a full queue's worth of lines refused: %v", err)
	}
}

// FuzzCluster runs every cluster file Parse accepts for a short while: what
// loads must run without a panic (a limit it breaks belongs in Parse).
func FuzzCluster(f *testing.F) {
	paths, _ := filepath.Glob(filepath.Join("..", "..", "examples", "*.json"))
	more, _ := filepath.Glob(filepath.Join("testdata", "*.json"))
	for _, p := range append(paths, more...) {
		if raw, err := os.ReadFile(p); err == nil {
			f.Add(raw)
		}
	}
	f.Add(ttyCluster(3, "kv-client"))
	f.Add(ttyCluster(3, "chat-client"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if _, err := cluster.Parse(data); err != nil {
			return
		}
		cfg := harness.Config{Protocol: "ovid", Seed: 1, Faults: "swarm", Safety: sim.Second, Liveness: sim.Second,
			Params: map[string]string{ParamCluster: string(data)}}
		out, err := harness.Run(cfg, harness.RunOptions{})
		if err != nil {
			return // refused before running: bad usage, not a panic
		}
		if out.Result.Verdict == sim.VerdictPanic {
			t.Fatalf("a cluster Parse accepts panics: %s: %s", out.Result.Property, out.Result.Reason)
		}
	})
}

// TestLargeClusterWithinRanges: a cluster file may hold up to
// cluster.AgentsMax agents, more clients than other protocols take.
func TestLargeClusterWithinRanges(t *testing.T) {
	agents := []any{map[string]any{"id": "s", "type": "chat-server"}}
	for i := range 300 {
		agents = append(agents, map[string]any{"id": fmt.Sprintf("c%d", i), "type": "chat-client", "attrs": map[string]int{"messages": 1},
			"routes": map[string]any{"server": []any{map[string]string{"agent": "s", "port": "client"}}}})
	}
	text, _ := json.Marshal(map[string]any{"agents": agents})
	cfg := harness.Config{Protocol: "ovid", Seed: 1, Faults: "none", Nodes: 1, Clients: 300, Safety: sim.Second, Liveness: sim.Second,
		Params: map[string]string{ParamCluster: string(text)}}
	if _, err := harness.Run(cfg, harness.RunOptions{}); err != nil {
		t.Fatal(err)
	}
}
