package kv_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/orrery-sim/orrery/scheduler"
	"github.com/orrery-sim/orrery/sim"
	"github.com/orrery-sim/orrery/workload/kv"
)

// TestLinearizabilityFailureNamesAndTimes: the explanation of a
// non-linearizable history names clients by agent and shows virtual times in
// seconds; a history without a clock (under exploration) shows its times as
// the order of invocations and returns, and names a request from outside the
// world by the agent it went to, or "external" when no one recorded it.
func TestLinearizabilityFailureNamesAndTimes(t *testing.T) {
	put, get := kv.Op{Kind: kv.Put, Key: "a", Value: "1"}, kv.Op{Kind: kv.Get, Key: "a"}
	tests := []struct {
		name    string
		history sim.History
		head    string   // what the first line says of the times
		want    []string // the operations' lines
	}{
		{
			name: "virtual time",
			history: sim.History{Ops: []sim.Op{
				{ID: 0, Client: 2, Input: put, Output: kv.Result{}, Call: 1500 * sim.Millisecond, Return: 2 * sim.Second, Done: true},
				{ID: 1, Client: 3, Input: get, Output: kv.Result{}, Call: 3 * sim.Second, Return: 3250 * sim.Millisecond, Done: true},
			}},
			head: "2 operations: verdict: illegal",
			want: []string{
				`     1. #0 c1 [1.5s,2s] put("a", "1")  => {"a": "1"}`,
				`   !  #1 c2 [3s,3.25s] get("a") -> (none): not allowed in state {"a": "1"}; it returned, so it must take effect before anything invoked later`,
			},
		},
		{
			name: "logical time",
			history: sim.History{Logical: true, Targets: []sim.NodeID{0, sim.External, 1}, Ops: []sim.Op{
				{ID: 0, Client: sim.External, Input: put, Call: 0, Return: sim.Never},
				{ID: 1, Client: 2, Input: get, Output: kv.Result{Found: true, Value: "1"}, Call: 1, Return: 2, Done: true},
				{ID: 2, Client: sim.External, Input: get, Output: kv.Result{}, Call: 3, Return: 5, Done: true},
				{ID: 3, Client: sim.External, Input: get, Output: kv.Result{}, Call: 4, Return: 6, Done: true},
			}},
			head: "4 operations (no clock under exploration: tN is the history's N-th invocation or return): verdict: illegal",
			want: []string{
				`     1. #0 client→n1 [t1,open] put("a", "1")  => {"a": "1"}`,
				`     2. #1 c1 [t2,t3] get("a") -> "1"  => {"a": "1"}`,
				`   !  #2 client→n2 [t4,t6] get("a") -> (none): not allowed in state {"a": "1"}; it returned, so it must take effect before anything invoked later`,
				`      #3 external [t5,t7] get("a") -> (none): not allowed in state {"a": "1"}`,
			},
		},
		{
			// Timed exploration: the times are still logical (the clock
			// stands still between timers), and the clock's readings join them.
			name: "logical time with a clock",
			history: sim.History{Logical: true, Targets: []sim.NodeID{0, 1},
				Clock: []sim.Time{0, 0, 400 * sim.Millisecond, 400 * sim.Millisecond}, Ops: []sim.Op{
					{ID: 0, Client: sim.External, Input: put, Output: kv.Result{}, Call: 0, Return: 1, Done: true},
					{ID: 1, Client: sim.External, Input: get, Output: kv.Result{}, Call: 2, Return: 3, Done: true},
				}},
			head: "2 operations (logical times: tN@C is the history's N-th invocation or return, when the explored clock read C; " +
				"only timers advance it, so N orders events that share a reading): verdict: illegal",
			want: []string{
				`     1. #0 client→n1 [t1@0s,t2@0s] put("a", "1")  => {"a": "1"}`,
				`   !  #1 client→n2 [t3@400ms,t4@400ms] get("a") -> (none): not allowed in state {"a": "1"}; it returned, so it must take effect before anything invoked later`,
			},
		},
	}
	for _, tc := range tests {
		w := sim.New(sim.Options{Chooser: scheduler.Zero{}})
		for _, name := range []string{"n1", "n2", "c1", "c2"} {
			w.AddAgent(sim.AgentSpec{Name: name, New: func() sim.Agent { return nil }})
		}
		*w.History() = tc.history
		err := kv.Linearizable().Check(w)
		if err == nil {
			t.Fatalf("%s: linearizable, want a failure", tc.name)
		}
		if head, _, _ := strings.Cut(err.Error(), "\n"); head != tc.head {
			t.Errorf("%s: first line\n%s\nwant\n%s", tc.name, head, tc.head)
		}
		var got []string
		for _, line := range strings.Split(err.Error(), "\n") {
			if strings.Contains(line, " #") {
				got = append(got, line)
			}
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%s: operations (-want +got):\n%s\n%s", tc.name, diff, err)
		}
	}
}
