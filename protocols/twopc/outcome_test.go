package twopc_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/orrery-sim/orrery/harness"
	"github.com/orrery-sim/orrery/protocols/twopc"
)

// TestClientOutcome: the client history is judged on its own property. The
// abort-reply-on-timeout coordinator tells a client abort before it has
// decided (seed 1), and at seed 292 the abort reaches the client after the
// late votes have committed the transaction; every server-side checker holds
// in both runs (BUGS.md). The correct coordinator passes.
func TestClientOutcome(t *testing.T) {
	tests := []struct {
		seed   uint64
		bug    string
		want   string // property; "" passes
		reason string
	}{
		{seed: 1, bug: twopc.BugAbortReplyOnTimeout, want: twopc.PropOutcome, reason: "was told abort before the coordinator decided it"},
		{seed: 292, bug: twopc.BugAbortReplyOnTimeout, want: twopc.PropOutcome, reason: "was told abort, but the coordinator decided commit"},
		{seed: 1},
		{seed: 292},
	}
	for _, tt := range tests {
		out, err := harness.Run(harness.Config{Protocol: "twopc", Seed: tt.seed, Faults: "swarm", Bug: tt.bug}, harness.RunOptions{})
		if err != nil {
			t.Fatal(err)
		}
		r := out.Result
		if diff := cmp.Diff(tt.want, r.Property); diff != "" {
			t.Errorf("seed %d bug %q: failing property (-want +got):\n%s%s", tt.seed, tt.bug, diff, r.Reason)
		}
		if !strings.Contains(r.Reason, tt.reason) {
			t.Errorf("seed %d bug %q: reason %q, want it to say %q", tt.seed, tt.bug, r.Reason, tt.reason)
		}
	}
}
