package raft

import (
	"cmp"
	"testing"

	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/scheduler"
	"github.com/orrery-sim/orrery/sim"
	"github.com/orrery-sim/orrery/workload/kv"
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
		{"defaults", DefaultConfig, nil, defaultTimers(Config{CheckQuorum: true, SnapshotEvery: snapshotEveryEntries})},
		{"config kept", Config{PreVote: true, SnapshotEvery: 5, ElectionTimeout: 90 * sim.Millisecond}, nil,
			defaultTimers(Config{PreVote: true, SnapshotEvery: 5, ElectionTimeout: 90 * sim.Millisecond})},
		{"params win", Config{PreVote: true, SnapshotEvery: 5, ElectionTimeout: 90 * sim.Millisecond},
			map[string]string{ParamPreVote: "false", ParamSnapshotEvery: "7", ParamHeartbeatMs: "20", ParamElectionTimeoutMs: "70", ParamClientRetryMs: "40"},
			Config{SnapshotEvery: 7, Heartbeat: 20 * sim.Millisecond, ElectionTimeout: 70 * sim.Millisecond, ClientRetry: 40 * sim.Millisecond}},
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

// defaultTimers is c with its zero timers at the protocol's defaults.
func defaultTimers(c Config) Config {
	c.Heartbeat = cmp.Or(c.Heartbeat, heartbeatIntervalDefault)
	c.ElectionTimeout = cmp.Or(c.ElectionTimeout, electionTimeoutDefault)
	c.ClientRetry = cmp.Or(c.ClientRetry, kv.DefaultTiming.RequestWait)
	return c
}

// TestTimersMustLetHeartbeatsHoldALeader: a heartbeat no shorter than the
// election timeout is refused, since no leader could then hold its followers.
func TestTimersMustLetHeartbeatsHoldALeader(t *testing.T) {
	for _, params := range []map[string]string{
		{ParamHeartbeatMs: "300"},
		{ParamElectionTimeoutMs: "50"},
		{ParamHeartbeatMs: "10", ParamElectionTimeoutMs: "5"},
	} {
		w := sim.New(sim.Options{Chooser: scheduler.NewSeeded(1)})
		if _, err := Setup(DefaultConfig)(w, protocols.Options{Nodes: 3, Params: params}); err == nil {
			t.Errorf("params %v accepted", params)
		}
	}
}
