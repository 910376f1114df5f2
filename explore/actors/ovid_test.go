package actors_test

import (
	"context"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/orrery-sim/orrery/explore"
	"github.com/orrery-sim/orrery/explore/actors"
	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/protocols/ovid"
)

// ovidModel explores the cluster file at path (under examples/).
func ovidModel(t *testing.T, path, bug string, crashes int) *actors.Model {
	t.Helper()
	text, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	p, err := protocols.Lookup("ovid")
	if err != nil {
		t.Fatal(err)
	}
	o := protocols.Options{Bug: bug, Params: map[string]string{ovid.ParamCluster: string(text)}}
	cfg, err := actors.FromProtocol(p, o, actors.Unordered, crashes)
	if err != nil {
		t.Fatal(err)
	}
	m, err := actors.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// A cluster file's own agents, explored: the lines its tty types are the
// checker's requests, to the client the tty types into. The two-server
// cluster and the default Ovid demo (three clients, five lines, two servers
// mirroring each other) are explored completely, with and without a crash;
// key-value linearizability and mirrors being prefixes of their primaries'
// logs hold throughout.
func TestOvidExplored(t *testing.T) {
	tests := []struct {
		path    string
		crashes int
		want    raftCounts
	}{
		{"../../examples/kvpair.json", 0, raftCounts{States: 126, Generated: 177, Depth: 15, Status: explore.StatusComplete}},
		{"../../examples/kvpair.json", 1, raftCounts{States: 486, Generated: 1173, Depth: 17, Status: explore.StatusComplete}},
		{"../../examples/kvs.json", 0, raftCounts{States: 8899, Generated: 15088, Depth: 29, Status: explore.StatusComplete}},
	}
	for _, tt := range tests {
		m := ovidModel(t, tt.path, "", tt.crashes)
		r, err := explore.Check(context.Background(), m, explore.Options{Workers: 2, DepthMax: m.DepthMax(), Reduce: true})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tt.want, countsOf(r)); diff != "" {
			t.Errorf("%s crashes=%d (-want +got):\n%s", tt.path, tt.crashes, diff)
		}
	}
}

// ack-before-sync (a server answers an update before its log entry is
// durable) with one crash: BFS finds the shortest way to lose an
// acknowledged write, and the counterexample re-executes into a trace that
// fails the same way.
func TestOvidAckBeforeSyncExplored(t *testing.T) {
	m := ovidModel(t, "../../examples/kvpair.json", ovid.BugAckBeforeSync, 1)
	r, err := explore.Check(context.Background(), m, explore.Options{Workers: 2, DepthMax: m.DepthMax(), Reduce: true})
	if err != nil {
		t.Fatal(err)
	}
	want := raftCounts{States: 56, Generated: 84, Depth: 6, Status: explore.StatusViolated, Property: ovid.PropMirrorPrefix}
	if diff := cmp.Diff(want, countsOf(r)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	wantActions := []string{
		`c1 ← client put a "1"`,
		`kv1 ← c1 client: KVRequest{#4294967297 put a "1"}`, // logged, not synced; acknowledged and mirrored
		"kv2 ← kv1 repl: Replicate{from 0, 1 entries}",
		"crash rack1", // the unsynced entry is lost
		"restart rack1",
	}
	if diff := cmp.Diff(wantActions, actionsOf(r)); diff != "" {
		t.Errorf("counterexample (-want +got):\n%s", diff)
	}
	run, err := m.Trace(r.Counterexample.Choices)
	if err != nil || run.Failure != ovid.PropMirrorPrefix {
		t.Errorf("re-executed counterexample fails %q (%v), want %s", run.Failure, err, ovid.PropMirrorPrefix)
	}
}
