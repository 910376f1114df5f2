package raft

import (
	"testing"

	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/scheduler"
	"github.com/orrery-sim/orrery/sim"
)

// TestSetupKeepsConfigUnlessParamsSay: a Config passed to Setup is what the
// servers run, and a -param given for a setting overrides it (Setup's doc).
func TestSetupKeepsConfigUnlessParamsSay(t *testing.T) {
	tests := []struct {
		name   string
		cfg    Config
		params map[string]string
		want   Config
	}{
		{"defaults", DefaultConfig, nil, Config{CheckQuorum: true, SnapshotEvery: snapshotEveryEntries}},
		{"config kept", Config{PreVote: true, SnapshotEvery: 5}, nil, Config{PreVote: true, SnapshotEvery: 5}},
		{"params win", Config{PreVote: true, SnapshotEvery: 5},
			map[string]string{ParamPreVote: "false", ParamSnapshotEvery: "7"}, Config{SnapshotEvery: 7}},
	}
	for _, tt := range tests {
		w := sim.New(sim.Options{Chooser: scheduler.NewSeeded(1)})
		if _, err := Setup(tt.cfg)(w, protocols.Options{Nodes: 3, Params: tt.params}); err != nil {
			t.Fatal(err)
		}
		w.RunUntil(0) // start the agents
		n, ok := w.Agent(0).(*node)
		if !ok {
			t.Fatalf("%s: n1 is %T", tt.name, w.Agent(0))
		}
		if n.cfg != tt.want {
			t.Errorf("%s: n1 runs %+v, want %+v", tt.name, n.cfg, tt.want)
		}
	}
}
