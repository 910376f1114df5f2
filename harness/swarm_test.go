package harness_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/orrery-sim/orrery/harness"
	_ "github.com/orrery-sim/orrery/protocols/all"
)

// TestSwarmCluster: a SwarmCluster run draws nodes within 3..default,
// clients within 1..default and at most a minority of raft servers down for
// good, every value of each range for some seed; the draw is written into
// the config (so re-running that config gives the same run), and giving the
// drawn nodes and clients explicitly leaves who stays down as it was.
func TestSwarmCluster(t *testing.T) {
	nodes, clients, downs := map[int]bool{}, map[int]bool{}, map[int]bool{}
	for seed := uint64(1); seed <= 40; seed++ {
		cfg := harness.Config{Protocol: "raft", Seed: seed, Faults: "swarm", SwarmCluster: true, Safety: 300_000_000, Liveness: 300_000_000}
		out, err := harness.Run(cfg, harness.RunOptions{})
		if err != nil {
			t.Fatal(err)
		}
		got := out.Config
		nodes[got.Nodes], clients[got.Clients], downs[len(got.DownForGood)] = true, true, true
		if got.Nodes < 3 || got.Nodes > 5 || got.Clients < 1 || got.Clients > 3 || len(got.DownForGood) > (got.Nodes-1)/2 {
			t.Fatalf("seed %d: drew %d nodes, %d clients, down for good %v", seed, got.Nodes, got.Clients, got.DownForGood)
		}
		if !strings.HasPrefix(got.Drawn, "nodes 3..5, clients 1..3, down for good 0..") {
			t.Errorf("seed %d: Drawn %q", seed, got.Drawn)
		}
		explicit := cfg
		explicit.Nodes, explicit.Clients = got.Nodes, got.Clients
		again, err := harness.Run(explicit, harness.RunOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if again.Result.Hash != out.Result.Hash || len(again.Config.DownForGood) != len(got.DownForGood) {
			t.Errorf("seed %d: explicit -nodes %d -clients %d gives hash %x (down %v), drawn gave %x (down %v)",
				seed, got.Nodes, got.Clients, again.Result.Hash, again.Config.DownForGood, out.Result.Hash, got.DownForGood)
		}
	}
	for _, want := range []struct {
		what string
		seen map[int]bool
		lo   int
		hi   int
	}{{"nodes", nodes, 3, 5}, {"clients", clients, 1, 3}, {"down for good", downs, 0, 1}} {
		for v := want.lo; v <= want.hi; v++ {
			if !want.seen[v] {
				t.Errorf("no seed in 1..40 drew %s %d", want.what, v)
			}
		}
	}
}

// TestDownForGoodShrinks: servers listed to stay down that a smaller
// cluster lacks, or past what the protocol allows at its size, are dropped
// (a shrinker lowers -nodes under them), and the kept ones stay down.
func TestDownForGoodShrinks(t *testing.T) {
	cfg := harness.Config{Protocol: "raft", Seed: 1, Nodes: 3, Faults: "none", DownForGood: []int{2, 4, 0}, Safety: 300_000_000, Liveness: 300_000_000}
	out, err := harness.Run(cfg, harness.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := out.Config.DownForGood; len(got) != 1 || got[0] != 2 {
		t.Fatalf("kept %v, want [2] (raft allows 1 of 3 down)", got)
	}
	if out.World.Up(2) || !out.World.Up(0) || !out.World.Up(1) {
		t.Errorf("after the run: n1 up %v, n2 up %v, n3 up %v; want only n3 down", out.World.Up(0), out.World.Up(1), out.World.Up(2))
	}
}

// TestSwarmClusterByDefault: under swarm faults the seed draws the cluster
// unless FixedCluster says no; other fault modes keep it unless SwarmCluster
// says yes; a parameter that pins the node count (paxos's quorum sizes) keeps
// the nodes; a run that reconfigures keeps every server; a config shared by
// many seeds (ResolveShared) leaves the draw to each seed; and a trace header
// that records neither setting replays with the cluster as given.
func TestSwarmClusterByDefault(t *testing.T) {
	type drawn struct {
		Nodes, Clients int
		Swarm, Fixed   bool
		Drawn          string
	}
	resolve := func(cfg harness.Config) drawn {
		t.Helper()
		got, _, err := cfg.Resolve()
		if err != nil {
			t.Fatal(err)
		}
		return drawn{got.Nodes, got.Clients, got.SwarmCluster, got.FixedCluster, got.Drawn}
	}
	raft := harness.Config{Protocol: "raft", Seed: 3, Faults: "swarm"}
	fixed := raft
	fixed.FixedCluster = true
	none := raft
	none.Faults = "none"
	optIn := none
	optIn.SwarmCluster = true
	quorums := harness.Config{Protocol: "paxos", Seed: 3, Faults: "swarm", Params: map[string]string{"q1": "4", "q2": "2"}}
	tests := []struct {
		name string
		cfg  harness.Config
		want drawn
	}{
		{"swarm draws", raft, drawn{3, 3, true, false, "nodes 3..5, clients 1..3"}},
		{"fixed keeps", fixed, drawn{5, 3, false, true, ""}},
		{"none keeps", none, drawn{5, 3, false, false, ""}},
		{"none, opted in, draws", optIn, drawn{3, 3, true, false, "nodes 3..5, clients 1..3"}},
		{"quorum sizes pin the nodes", quorums, drawn{5, 1, true, false, "clients 1..3"}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, resolve(tt.cfg)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
	}
	both := fixed
	both.SwarmCluster = true
	if _, _, err := both.Resolve(); err == nil {
		t.Error("a config both drawn and fixed resolved")
	}
	shared, _, err := raft.ResolveShared()
	if err != nil || shared.Nodes != 0 || shared.Clients != 0 || !shared.SwarmCluster || shared.Drawn != "" {
		t.Errorf("ResolveShared: %d nodes, %d clients, drawn %q, swarm %v (%v); want the draw left to each seed", shared.Nodes, shared.Clients, shared.Drawn, shared.SwarmCluster, err)
	}
	old, err := harness.DecodeConfig([]byte(`{"protocol":"raft","seed":3,"nodes":5,"clients":3,"faults":"swarm"}`))
	if err != nil || !old.FixedCluster || old.SwarmCluster {
		t.Errorf("a header with neither setting decodes as fixed %v, swarm %v (%v); want fixed", old.FixedCluster, old.SwarmCluster, err)
	}
	spares := harness.Config{Protocol: "raft", Faults: "swarm", Params: map[string]string{"spares": "2"}, Safety: 300_000_000, Liveness: 300_000_000}
	for seed := uint64(1); seed <= 20; seed++ {
		spares.Seed = seed
		out, err := harness.Run(spares, harness.RunOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if len(out.Config.DownForGood) > 0 || strings.Contains(out.Config.Drawn, "down for good") {
			t.Fatalf("seed %d of a reconfiguring run keeps %v down for good (drawn %q)", seed, out.Config.DownForGood, out.Config.Drawn)
		}
	}
}
