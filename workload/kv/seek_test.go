package kv_test

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/orrery-sim/orrery/scheduler"
	"github.com/orrery-sim/orrery/sim"
	"github.com/orrery-sim/orrery/workload/kv"
)

type notLeader struct{ Leader sim.NodeID }

// server answers every request with "not leader" (hinting a leader or not) and
// logs that the request reached it.
type server struct {
	hint    sim.NodeID
	reached *[]string
}

func (s *server) Start(*sim.Context) {}
func (s *server) Receive(ctx *sim.Context, from sim.NodeID, m sim.Message) {
	*s.reached = append(*s.reached, ctx.Name(ctx.Self()))
	ctx.Send(from, notLeader{s.hint})
}
func (s *server) Timer(*sim.Context, string) {}

// client sends one request and follows the answers until it gives up.
type client struct {
	s      kv.Seeker
	gaveUp sim.Time
}

func (c *client) Start(ctx *sim.Context) { c.s.Start(ctx); c.s.Begin(ctx, "req") }
func (c *client) Receive(ctx *sim.Context, from sim.NodeID, m sim.Message) {
	c.s.Redirect(ctx, m.(notLeader).Leader, "req")
}
func (c *client) Timer(ctx *sim.Context, name string) {
	if !c.s.Retry(ctx, "req") {
		c.gaveUp = ctx.Now()
	}
}

// run returns the first servers the request reached, in order, and when the
// client gave up.
func run(t *testing.T, hint sim.NodeID) ([]string, sim.Time) {
	t.Helper()
	w := sim.New(sim.Options{Chooser: scheduler.Zero{}, Network: sim.NetworkConfig{DelayMin: sim.Millisecond, DelayMax: sim.Millisecond}})
	var reached []string
	for i := 0; i < 3; i++ {
		w.AddAgent(sim.AgentSpec{Name: fmt.Sprintf("n%d", i+1), New: func() sim.Agent { return &server{hint: hint, reached: &reached} }})
	}
	timing := kv.Timing{RequestWait: 100 * sim.Millisecond, RedirectWait: 10 * sim.Millisecond, GiveUpAfter: 500 * sim.Millisecond, RedirectsMax: 2}
	c := &client{s: kv.Seeker{Servers: []sim.NodeID{0, 1, 2}, Timing: timing}}
	w.AddAgent(sim.AgentSpec{Name: "c", New: func() sim.Agent { return c }})
	w.RunUntil(2 * sim.Second)
	return reached[:min(len(reached), 5)], c.gaveUp
}

func TestSeeker(t *testing.T) {
	// Hinted: straight to n3. n3 hints itself, which the client already tried,
	// so it waits and retries at a random server (always n1 under the Zero
	// chooser); the hint from n1 is one redirect past RedirectsMax, so from then on
	// the client only waits and retries.
	reached, gaveUp := run(t, 2)
	if diff := cmp.Diff([]string{"n1", "n3", "n1", "n1", "n1"}, reached); diff != "" {
		t.Errorf("hinted (-want +got):\n%s", diff)
	}
	if gaveUp < 500*sim.Millisecond {
		t.Errorf("gave up at %v, before the 500ms deadline", gaveUp)
	}
	// Unhinted: every answer is followed by a pause and a retry, until the
	// deadline passes and the client gives up.
	reached, gaveUp = run(t, kv.NoHint)
	if diff := cmp.Diff([]string{"n1", "n1", "n1", "n1", "n1"}, reached); diff != "" {
		t.Errorf("unhinted (-want +got):\n%s", diff)
	}
	if gaveUp < 500*sim.Millisecond || gaveUp > 600*sim.Millisecond {
		t.Errorf("gave up at %v, want just after the 500ms deadline", gaveUp)
	}
}
