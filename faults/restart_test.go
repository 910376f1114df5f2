package faults_test

import (
	"testing"

	"github.com/orrery-sim/orrery/faults"
	"github.com/orrery-sim/orrery/sim"
)

// strict panics if it handles anything before Start, as an agent whose state is
// built in Start (chat's servers) would.
type strict struct {
	started bool
	probe
}

func (s *strict) Start(ctx *sim.Context) { s.started = true; s.probe.Start(ctx) }

func (s *strict) Receive(ctx *sim.Context, from sim.NodeID, msg sim.Message) {
	if !s.started {
		panic("Receive before Start")
	}
	s.probe.Receive(ctx, from, msg)
}

// TestRestartRunsStartFirst: messages a clog releases at the instant a box
// restarts were queued before the restart's Start event, and the world delivers
// them to a fresh agent before Start. The nemesis hit this in chat swarm sweeps
// (clog ends and restarts both fall on whole milliseconds).
func TestRestartRunsStartFirst(t *testing.T) {
	c := newCluster(t, 1, 0, 0, fifoNet)
	var ids []sim.NodeID
	for _, name := range []string{"n1", "n2"} {
		ids = append(ids, c.w.AddAgent(sim.AgentSpec{Name: name, New: func() sim.Agent { return &strict{probe: probe{peers: ids}} }}))
	}
	if _, err := faults.Install(c.w, faults.Options{Spec: "at 1s clog n1 -> n2 for 1s; at 1500ms crash n2; at 2s restart n2", Safety: 3 * sim.Second}); err != nil {
		t.Fatal(err)
	}
	if r := c.w.Run(3*sim.Second, sim.Second); r.Failed() {
		t.Fatalf("%s: %s", r.Property, r.Reason)
	}
}
