package raft_test

import (
	"slices"
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
	timers := []traces.Option{{Key: "param.heartbeat-ms", Value: "50"}, {Key: "param.election-timeout-ms", Value: "300"}, {Key: "param.client-retry-ms", Value: "150"}}
	tests := []struct {
		params      map[string]string
		wantPreVote bool
		wantBanner  []traces.Option
	}{
		{nil, false, append([]traces.Option{{Key: "param.prevote", Value: "false"}, {Key: "param.checkquorum", Value: "true"}, {Key: "param.spares", Value: "0"}, {Key: "param.snapshot-every", Value: "32"}}, timers...)},
		{map[string]string{"prevote": "true", "checkquorum": "false"}, true,
			append([]traces.Option{{Key: "param.prevote", Value: "true"}, {Key: "param.checkquorum", Value: "false"}, {Key: "param.spares", Value: "0"}, {Key: "param.snapshot-every", Value: "32"}}, timers...)},
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

// TestParamHeartbeatSetsTheInterval: -param heartbeat-ms=25 makes a stable
// leader's heartbeat timer fire about twice as often as the default 50 ms,
// and the banner shows the setting.
func TestParamHeartbeatSetsTheInterval(t *testing.T) {
	count := func(params map[string]string) (int, []traces.Option) {
		heartbeats := 0
		out, err := harness.Run(harness.Config{Protocol: "raft", Seed: 3, Faults: "none", Params: params},
			harness.RunOptions{Observe: func(e *traces.Event) {
				if e.Kind == traces.KindTimer && e.Type == "heartbeat" {
					heartbeats++
				}
			}})
		if err != nil {
			t.Fatal(err)
		}
		return heartbeats, out.Options
	}
	def, _ := count(nil)
	fast, banner := count(map[string]string{"heartbeat-ms": "25"})
	if def == 0 || fast < def*3/2 || fast > def*5/2 {
		t.Errorf("heartbeats: %d at 25 ms, %d at the default 50 ms; want about twice as many", fast, def)
	}
	if !slices.Contains(banner, traces.Option{Key: "param.heartbeat-ms", Value: "25"}) {
		t.Errorf("banner %v lacks param.heartbeat-ms=25", banner)
	}
}
