package chat_test

import (
	"testing"
	"time"

	"github.com/orrery-sim/orrery/harness"
	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/protocols/chat"
	"github.com/orrery-sim/orrery/sim"
	"github.com/orrery-sim/orrery/simtest"
)

// rapidRun is short: a property test runs hundreds of cases.
var rapidRun = harness.Config{Safety: 3 * sim.Second, Liveness: 5 * sim.Second}

// TestConformance is the suite every protocol passes. Chat's delivery bugs
// need no nemesis: they are caught without faults as well as under swarm.
func TestConformance(t *testing.T) {
	p, err := protocols.Lookup("chat")
	if err != nil {
		t.Fatal(err)
	}
	var rapidBugs []simtest.RapidBug
	for _, b := range []struct{ bug, property string }{
		{chat.BugNoHoldBack, "fifo-per-origin"},
		{chat.BugNoDedupe, "no-duplicate-delivery"},
	} {
		cfg := rapidRun
		cfg.Bug = b.bug
		rapidBugs = append(rapidBugs, simtest.RapidBug{
			Spec:     simtest.Spec{Config: cfg, Checks: 200, ShrinkTime: 20 * time.Second},
			Property: b.property, PlanEntriesMax: 2,
		})
	}
	simtest.Conformance(t, simtest.Suite{
		Protocol: p,
		// Clean runs and each planted bug at its first failing seed, without
		// faults and (no-hold-back, ack-before-sync) under swarm.
		Golden: []harness.Config{
			{Seed: 1},
			{Seed: 99, Faults: "swarm"},
			{Seed: 1, Bug: chat.BugNoDedupe},
			{Seed: 13, Bug: chat.BugNoHoldBack},
			{Seed: 1, Faults: "swarm", Bug: chat.BugNoHoldBack},
			{Seed: 7, Faults: "swarm", Bug: chat.BugAckBeforeSync},
			{Seed: 1, Faults: "swarm", Bug: chat.BugSentIsDelivered},
		},
		Sweeps: []simtest.Sweep{{Config: harness.Config{Faults: "none"}, Seeds: 50}},
		Bugs: []simtest.PlantedBug{
			{Bug: chat.BugNoDedupe, Faults: "none", Property: "no-duplicate-delivery", SeedsMax: 20},
			{Bug: chat.BugNoHoldBack, Faults: "none", Property: "fifo-per-origin", SeedsMax: 50},
			{Bug: chat.BugNoDedupe, Property: "no-duplicate-delivery", SeedsMax: 20},
			{Bug: chat.BugNoHoldBack, Property: "fifo-per-origin", SeedsMax: 50},
			// A message lost before it was durable needs a crash: swarm only.
			{Bug: chat.BugAckBeforeSync, Property: "content-agrees", SeedsMax: 10},
			// An entry is lost only to the network or a crash: swarm only.
			// The liveness phase's all-delivered catches it after the heal.
			{Bug: chat.BugSentIsDelivered, Property: "all-delivered", Liveness: true, SeedsMax: 10},
		},
		Rapid:     &simtest.Spec{Config: rapidRun, Checks: 100},
		RapidBugs: rapidBugs,
	})
}
