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
	proto, faults := "raft", "swarm"
	if p := os.Getenv("RAFT_PROTO"); p != "" {
		proto = p
	}
	if f := os.Getenv("RAFT_FAULTS"); f != "" {
		faults = f
	}
	for _, bug := range []string{raft.BugFigure8, raft.BugVoteNotPersisted, raft.BugCommitPastVerified, raft.BugStaleRead, raft.BugVoteCount, raft.BugTruncateOnStale} {
		t.Run(bug, func(t *testing.T) {
			start := time.Now()
			out, _ := firstFailure(t, harness.Config{Protocol: proto, Bug: bug, Faults: faults}, 1, bugSeedsMax)
			if out == nil {
				t.Fatalf("%s not caught in %d seeds (%v)", bug, bugSeedsMax, time.Since(start))
			}
			r := out.Result
			t.Logf("%s: caught at seed %d by %s (%v) after %d events in %v: %s", bug, out.Config.Seed, r.Property, r.Verdict, r.Events, time.Since(start), r.Reason)
		})
	}
}
