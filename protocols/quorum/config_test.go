package quorum_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/orrery-sim/orrery/protocols/quorum"
	"github.com/orrery-sim/orrery/sim"
)

// TestConfigEpochs: requests carry the call's configuration epoch; a node
// that moved on redirects, which ends the call with the newer configuration;
// a redirect to a configuration no newer than the call's does not count.
func TestConfigEpochs(t *testing.T) {
	f := &fake{}
	c := quorum.NewCaller[int]("q", 0)
	spec := majoritySpec(1, 2, 3)
	spec.ConfigEpoch = 4
	id := c.Call(f, spec)
	if d := cmp.Diff([]string{`1 q#0.1 e4 "arg1"`, `2 q#0.1 e4 "arg2"`, `3 q#0.1 e4 "arg3"`}, f.sent); d != "" {
		t.Fatalf("sent (-want +got):\n%s", d)
	}
	req := quorum.Request{Call: id, ConfigEpoch: 4}
	if req.Stale(4) || !req.Stale(5) || (quorum.Request{Call: id}).Stale(9) {
		t.Fatal("Stale: a request is stale exactly when its epoch is older than the node's (never when unversioned)")
	}
	if _, done := c.Receive(f, 1, req.RedirectTo(quorum.Configuration{Epoch: 4, Nodes: []sim.NodeID{1, 2}})); done {
		t.Fatal("a redirect to the call's own epoch ended the call")
	}
	if _, done := c.Receive(f, 2, req.Reply(7)); done {
		t.Fatal("decided on one reply")
	}
	newer := quorum.Configuration{Epoch: 5, Nodes: []sim.NodeID{2, 3, 4}}
	r, done := c.Receive(f, 3, req.RedirectTo(newer))
	if !done || !errors.Is(r.Err, quorum.ErrStaleConfig) || c.Active() {
		t.Fatalf("got %+v done=%v, want the call ended by the redirect", r, done)
	}
	if d := cmp.Diff(&newer, r.Redirect); d != "" {
		t.Fatalf("redirect (-want +got):\n%s", d)
	}
	if got := req.RedirectTo(newer).Describe(); got != "q#0.1 → redirect e5[2 3 4]" {
		t.Fatalf("describe: %s", got)
	}
}
