package raft_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/orrery-sim/orrery/harness"
	"github.com/orrery-sim/orrery/traces"
)

// TestParamsSwitchPreVoteAndCheckQuorum: -param prevote=true makes servers
// run pre-vote rounds (none without it), and the banner shows the settings
// the run used.
func TestParamsSwitchPreVoteAndCheckQuorum(t *testing.T) {
	tests := []struct {
		params      map[string]string
		wantPreVote bool
		wantBanner  []traces.Option
	}{
		{nil, false, []traces.Option{{Key: "param.prevote", Value: "false"}, {Key: "param.checkquorum", Value: "true"}, {Key: "param.spares", Value: "0"}, {Key: "param.snapshot-every", Value: "32"}}},
		{map[string]string{"prevote": "true", "checkquorum": "false"}, true,
			[]traces.Option{{Key: "param.prevote", Value: "true"}, {Key: "param.checkquorum", Value: "false"}, {Key: "param.spares", Value: "0"}, {Key: "param.snapshot-every", Value: "32"}}},
	}
	for _, tt := range tests {
		preVotes := 0
		out, err := harness.Run(harness.Config{Protocol: "raft", Seed: 3, Faults: "none", Params: tt.params},
			harness.RunOptions{Observe: func(e *traces.Event) {
				if strings.Contains(e.Desc, "MsgPreVote ") {
					preVotes++
				}
			}})
		if err != nil {
			t.Fatal(err)
		}
		if (preVotes > 0) != tt.wantPreVote {
			t.Errorf("params %v: %d pre-vote messages", tt.params, preVotes)
		}
		var got []traces.Option
		for _, o := range out.Options {
			if strings.HasPrefix(o.Key, "param.") {
				got = append(got, o)
			}
		}
		if diff := cmp.Diff(tt.wantBanner, got); diff != "" {
			t.Errorf("params %v: banner (-want +got):\n%s", tt.params, diff)
		}
	}
}

func TestUnknownParamIsRefused(t *testing.T) {
	for _, params := range []map[string]string{{"q1": "2"}, {"prevote": "yes"}} {
		if _, err := harness.Run(harness.Config{Protocol: "raft", Seed: 1, Params: params}, harness.RunOptions{}); err == nil {
			t.Errorf("params %v accepted", params)
		}
	}
}
