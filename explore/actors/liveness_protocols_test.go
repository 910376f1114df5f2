package actors_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/orrery-sim/orrery/explore"
	"github.com/orrery-sim/orrery/explore/actors"
	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/sim"
)

// liveProtocol checks a protocol's agents with the lasso search and returns
// the counts, the verdict of property and the counterexample's actions ("|"
// after the step where the cycle starts). edit adjusts the configuration
// (fewer requests, no depth bound) to keep the search small and complete.
func liveProtocol(t *testing.T, protocol string, o protocols.Options, network actors.Network, crashes int,
	property string, edit func(*actors.Config)) (liveCounts, *actors.Model, explore.Result) {
	t.Helper()
	p, err := protocols.Lookup(protocol)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := actors.FromProtocol(p, o, network, crashes)
	if err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(&cfg)
	}
	m, err := actors.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	r, err := explore.Check(context.Background(), m, explore.Options{Workers: 2, DepthMax: m.DepthMax(), Liveness: true})
	if err != nil {
		t.Fatal(err)
	}
	got := liveCounts{States: r.States, Edges: r.Edges, Status: r.Status}
	for _, ob := range r.Properties {
		if ob.Name == property {
			got.Verdict = ob.Verdict
		}
	}
	if c := r.Counterexample; c != nil {
		for i, s := range c.Steps {
			got.Path = append(got.Path, s.Action)
			if i+1 == c.LoopAt {
				got.Path = append(got.Path, "|")
			}
		}
	}
	return got, m, r
}

// TestChatAllDelivered: two chat servers, one submitted message, one crash,
// no depth bound (the search is complete). The correct servers deliver the
// message everywhere under weak fairness (a restarted server that lost it
// pings, and the origin repairs it); with sent-is-delivered the origin
// never re-sends what it once sent, and the heartbeats chase each other for
// ever around a server that lost the message in its crash. The lasso
// re-executes into a trace that ends in a liveness verdict.
func TestChatAllDelivered(t *testing.T) {
	oneRequest := func(c *actors.Config) { c.Requests, c.DepthMax = c.Requests[:1], 0 }
	tests := []struct {
		bug  string
		want liveCounts
	}{
		{"", liveCounts{States: 4998, Edges: 13766, Status: explore.StatusComplete, Verdict: explore.VerdictHolds}},
		{"sent-is-delivered", liveCounts{States: 4484, Edges: 12636, Status: explore.StatusViolated, Verdict: explore.VerdictViolated,
			Path: []string{"", `n1 ← client "a"`, `n2 ← n1 MsgBroadcast{n1#1 "a"}`, "crash n2", "restart n2", "|",
				"n1 timer heartbeat", "n2 ← n1 MsgPing{have [1 0]}", "n2 timer heartbeat", "n1 ← n2 MsgPing{have [0 0]}"}}},
	}
	for _, tt := range tests {
		got, m, r := liveProtocol(t, "chat", protocols.Options{Nodes: 2, Bug: tt.bug}, actors.Unordered, 1, "all-delivered", oneRequest)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("bug %q (-want +got):\n%s", tt.bug, diff)
		}
		if c := r.Counterexample; c != nil {
			run, err := m.TraceLasso(c.Choices, c.Property, c.LoopAt)
			if err != nil {
				t.Fatal(err)
			}
			if f := run.Footer(); f.Verdict != sim.VerdictLiveness.String() || f.Property != "all-delivered" {
				t.Errorf("bug %q: re-executed lasso ends %+v, want a liveness verdict for all-delivered", tt.bug, f)
			}
		}
	}
}
