package raft_test

import (
	"os"
	"strconv"
	"testing"

	"github.com/orrery-sim/orrery/harness"
	"github.com/orrery-sim/orrery/traces"
)

// TestDebugTrace prints a run's trace when RAFT_TRACE names a seed.
func TestDebugTrace(t *testing.T) {
	seed, err := strconv.ParseUint(os.Getenv("RAFT_TRACE"), 10, 64)
	if err != nil {
		t.Skip("set RAFT_TRACE=seed")
	}
	cfg := harness.Config{Protocol: "raft", Seed: seed, Bug: os.Getenv("RAFT_BUG"), Faults: os.Getenv("RAFT_FAULTS")}
	out, err := harness.Run(cfg, harness.RunOptions{Observe: func(e *traces.Event) { os.Stdout.WriteString(e.Desc + "\n") }})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v", out.Result)
}

// TestDebugSeed runs one seed of a protocol variant (RAFT_PROTO, RAFT_SEED, RAFT_BUG).
func TestDebugSeed(t *testing.T) {
	seed, err := strconv.ParseUint(os.Getenv("RAFT_SEED"), 10, 64)
	if err != nil {
		t.Skip("set RAFT_SEED=seed")
	}
	cfg := harness.Config{Protocol: os.Getenv("RAFT_PROTO"), Seed: seed, Bug: os.Getenv("RAFT_BUG"), Faults: os.Getenv("RAFT_FAULTS")}
	var o harness.RunOptions
	if os.Getenv("RAFT_VERBOSE") != "" {
		o.Observe = func(e *traces.Event) { os.Stdout.WriteString(e.Desc + "\n") }
	}
	out, err := harness.Run(cfg, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v", out.Result)
}
