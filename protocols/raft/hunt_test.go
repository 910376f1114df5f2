package raft_test

import (
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/orrery-sim/orrery/harness"
	"github.com/orrery-sim/orrery/sim"
)

// TestHunt sweeps RAFT_HUNT_FROM..RAFT_HUNT_TO for RAFT_BUG (a tool for tuning,
// skipped unless RAFT_HUNT_TO is set).
func TestHunt(t *testing.T) {
	to, err := strconv.ParseUint(os.Getenv("RAFT_HUNT_TO"), 10, 64)
	if err != nil {
		t.Skip("set RAFT_HUNT_TO")
	}
	from, _ := strconv.ParseUint(os.Getenv("RAFT_HUNT_FROM"), 10, 64)
	proto := os.Getenv("RAFT_PROTO")
	if proto == "" {
		proto = "raft"
	}
	faults := os.Getenv("RAFT_FAULTS")
	if faults == "" {
		faults = "swarm"
	}
	cfg := harness.Config{Protocol: proto, Bug: os.Getenv("RAFT_BUG"), Faults: faults}
	if s := os.Getenv("RAFT_SAFETY"); s != "" {
		cfg.Safety, _ = sim.ParseDuration(s)
	}
	if s := os.Getenv("RAFT_CLIENTS"); s != "" {
		cfg.Clients, _ = strconv.Atoi(s)
	}
	start := time.Now()
	out, events := firstFailure(t, cfg, max(from, 1), to)
	t.Logf("%v", time.Since(start))
	if out == nil {
		t.Logf("no failure in %d..%d (%d events)", from, to, events)
		return
	}
	r := out.Result
	t.Logf("seed %d: %s (%v) after %d events: %s", out.Config.Seed, r.Property, r.Verdict, r.Events, r.Reason)
}
