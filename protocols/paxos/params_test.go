package paxos_test

import (
	"slices"
	"testing"

	"github.com/orrery-sim/orrery/harness"
	"github.com/orrery-sim/orrery/traces"
)

// TestParamHeartbeatSetsTheTick: -param heartbeat-ms=25 makes a stable
// leader's tick fire about twice as often as the default 50 ms, and the
// banner shows the setting.
func TestParamHeartbeatSetsTheTick(t *testing.T) {
	count := func(params map[string]string) (int, []traces.Option) {
		ticks := 0
		out, err := harness.Run(harness.Config{Protocol: "paxos", Seed: 3, Faults: "none", Params: params},
			harness.RunOptions{Observe: func(e *traces.Event) {
				if e.Kind == traces.KindTimer && e.Type == "tick" {
					ticks++
				}
			}})
		if err != nil {
			t.Fatal(err)
		}
		return ticks, out.Options
	}
	def, _ := count(nil)
	fast, banner := count(map[string]string{"heartbeat-ms": "25"})
	if def == 0 || fast < def*3/2 || fast > def*5/2 {
		t.Errorf("ticks: %d at 25 ms, %d at the default 50 ms; want about twice as many", fast, def)
	}
	if !slices.Contains(banner, traces.Option{Key: "param.heartbeat-ms", Value: "25"}) {
		t.Errorf("banner %v lacks param.heartbeat-ms=25", banner)
	}
}

// TestTimersMustLetHeartbeatsHoldALeader: a heartbeat no shorter than the
// election timeout is refused; timers that keep that order run.
func TestTimersMustLetHeartbeatsHoldALeader(t *testing.T) {
	tests := []struct {
		params map[string]string
		ok     bool
	}{
		{map[string]string{"heartbeat-ms": "300"}, false},
		{map[string]string{"election-timeout-ms": "50"}, false},
		{map[string]string{"heartbeat-ms": "10", "election-timeout-ms": "40", "client-retry-ms": "30"}, true},
	}
	for _, tt := range tests {
		_, err := harness.Run(harness.Config{Protocol: "paxos", Seed: 1, Faults: "none", Params: tt.params}, harness.RunOptions{})
		if (err == nil) != tt.ok {
			t.Errorf("params %v: error %v, want ok=%v", tt.params, err, tt.ok)
		}
	}
}
