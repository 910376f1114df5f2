package raft_test

import (
	"os"
	"testing"
	"time"

	"github.com/orrery-sim/orrery/harness"
	"github.com/orrery-sim/orrery/protocols/raft"
)

// bugSeedsMax is how many seeds each planted bug may take to be caught.
const bugSeedsMax = 2000

func TestPlantedBugsAreCaught(t *testing.T) {
	proto := "raft-nemesis"
	if p := os.Getenv("RAFT_PROTO"); p != "" {
		proto = p
	}
	for _, bug := range []string{raft.BugFigure8, raft.BugVoteNotPersisted, raft.BugCommitPastVerified, raft.BugStaleRead, raft.BugVoteCount, raft.BugTruncateOnStale} {
		t.Run(bug, func(t *testing.T) {
			start := time.Now()
			for seed := uint64(1); seed <= bugSeedsMax; seed++ {
				out := run(t, harness.Config{Protocol: proto, Seed: seed, Bug: bug})
				if r := out.Result; r.Failed() {
					t.Logf("%s: caught at seed %d by %s (%v) after %d events in %v: %s", bug, seed, r.Property, r.Verdict, r.Events, time.Since(start), r.Reason)
					return
				}
			}
			t.Fatalf("%s not caught in %d seeds (%v)", bug, bugSeedsMax, time.Since(start))
		})
	}
}
