package actors_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/orrery-sim/orrery/explore"
	"github.com/orrery-sim/orrery/explore/actors"
	_ "github.com/orrery-sim/orrery/protocols/chat"
)

// The chat room's own servers, three of them, two submitted messages: the
// correct protocol keeps each log free of duplicates and in order per origin
// to depth 9, and each planted bug is found with a shortest counterexample
// that re-executes into a failing trace.
func TestChatExplored(t *testing.T) {
	tests := []struct {
		bug           string
		want          raftCounts
		full, reduced int64
		wantActions   []string
	}{
		{bug: "", want: raftCounts{States: 35185, Depth: 9, Status: explore.StatusLimit}, full: 50647, reduced: 41826},
		{bug: "no-hold-back", want: raftCounts{States: 254, Depth: 4, Status: explore.StatusViolated, Property: "fifo-per-origin"},
			full: 376, reduced: 313, wantActions: []string{
				`n1 ← client "a"`,
				`n1 ← client "b"`,
				`n2 ← n1 MsgBroadcast{n1#2 "b"}`, // before n1#1: delivered at once
			}},
		{bug: "no-dedupe", want: raftCounts{States: 2087, Depth: 6, Status: explore.StatusViolated, Property: "no-duplicate-delivery"},
			full: 2752, reduced: 2329, wantActions: []string{
				"n1 timer heartbeat",
				`n1 ← client "a"`,
				`n2 ← n1 MsgBroadcast{n1#1 "a"}`,
				"n2 ← n1 MsgPing{have [0 0 0]}",  // sent before n1 took "a"
				`n1 ← n2 MsgBroadcast{n1#1 "a"}`, // the repair hands n1 its own entry again
			}},
	}
	for _, tt := range tests {
		for _, reduce := range []bool{false, true} {
			m := protocolModel("chat", 3, tt.bug, actors.Unordered, 0)(t)
			r, err := explore.Check(context.Background(), m, explore.Options{Workers: 2, DepthMax: 9, Reduce: reduce})
			if err != nil {
				t.Fatal(err)
			}
			want := tt.want
			want.Generated = tt.full
			if reduce {
				want.Generated = tt.reduced
			}
			if diff := cmp.Diff(want, countsOf(r)); diff != "" {
				t.Errorf("bug %q reduce=%v (-want +got):\n%s", tt.bug, reduce, diff)
			}
			if tt.wantActions == nil {
				continue
			}
			if diff := cmp.Diff(tt.wantActions, actionsOf(r)); diff != "" {
				t.Errorf("bug %q reduce=%v: counterexample (-want +got):\n%s", tt.bug, reduce, diff)
			}
			run, err := m.Trace(r.Counterexample.Choices)
			if err != nil || run.Failure != tt.want.Property {
				t.Errorf("bug %q: re-executed counterexample fails %q (%v)", tt.bug, run.Failure, err)
			}
		}
	}
}
