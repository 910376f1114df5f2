package raft_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/orrery-sim/orrery/harness"
	"github.com/orrery-sim/orrery/traces"
)

// TestRemovedLeaderWithoutMajority: n2, leader of {n1 n2}, removes itself and
// is cut off before the removal commits; it steps down (check-quorum), the
// only server holding the entry. n1 cannot win without n2's vote, which its
// shorter log does not get. Once the partition heals n2, though outside its
// configuration, campaigns to finish its removal, leads without counting
// itself, commits {n1} with n1 and steps down for good; n1 leads, and a
// write after the heal completes.
func TestRemovedLeaderWithoutMajority(t *testing.T) {
	plan := "at 1s reconfigure remove n2; at 1010ms isolate n2; at 2s heal"
	var leads []string
	out, err := harness.Run(harness.Config{Protocol: "raft", Seed: 1, Nodes: 2, Clients: 1, Faults: plan, Params: map[string]string{"spares": "1"}},
		harness.RunOptions{Observe: func(e *traces.Event) {
			if strings.Contains(e.Desc, " leads term ") || strings.Contains(e.Desc, "steps down") || strings.Contains(e.Desc, "appends configuration") {
				_, note, _ := strings.Cut(e.Desc, " note: ")
				leads = append(leads, note)
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"n2 leads term 1",
		"n2 appends configuration voters n1",
		"n2 steps down: no quorum heard for 300ms",
		"n2 leads term 5",
		"n2 steps down: removed by configuration voters n1",
		"n1 leads term 6",
	}
	if diff := cmp.Diff(want, leads); diff != "" {
		t.Errorf("leaders (-want +got):\n%s", diff)
	}
	if out.Result.Failed() {
		t.Fatalf("%s: %s", out.Result.Property, out.Result.Reason)
	}
}
