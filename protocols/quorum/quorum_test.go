package quorum_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/orrery-sim/orrery/protocols/quorum"
	"github.com/orrery-sim/orrery/scheduler"
	"github.com/orrery-sim/orrery/sim"
)

// fake records what a caller does to its context.
type fake struct {
	sent   []string
	timers []string
}

func (f *fake) Send(to sim.NodeID, msg sim.Message) {
	f.sent = append(f.sent, fmt.Sprintf("%d %s", to, sim.Describe(msg)))
}
func (f *fake) SetTimer(name string, after sim.Time) {
	f.timers = append(f.timers, fmt.Sprintf("set %s %v", name, after))
}
func (f *fake) CancelTimer(name string) { f.timers = append(f.timers, "cancel "+name) }

func sum(replies []quorum.Response[int]) int {
	total := 0
	for _, r := range replies {
		total += r.Value
	}
	return total
}

func majoritySpec(nodes ...sim.NodeID) quorum.Spec[int] {
	return quorum.Spec[int]{
		Nodes:   nodes,
		PerNode: func(n sim.NodeID) any { return fmt.Sprintf("arg%d", n) },
		Quorum:  quorum.AtLeast(quorum.Majority(len(nodes)), sum),
		Timeout: 10 * sim.Millisecond,
		Retries: 1,
	}
}

func TestMajorityDecides(t *testing.T) {
	f := &fake{}
	c := quorum.NewCaller[int]("q", 7)
	id := c.Call(f, majoritySpec(1, 2, 3))
	want := []string{`1 q#7.1 "arg1"`, `2 q#7.1 "arg2"`, `3 q#7.1 "arg3"`}
	if d := cmp.Diff(want, f.sent); d != "" {
		t.Fatalf("sent (-want +got):\n%s", d)
	}
	if _, done := c.Receive(f, 2, quorum.Reply{Call: id, Value: 10}); done {
		t.Fatal("decided on one reply of three")
	}
	if _, done := c.Receive(f, 2, quorum.Reply{Call: id, Value: 10}); done {
		t.Fatal("a duplicate reply counted")
	}
	if _, done := c.Receive(f, 9, quorum.Reply{Call: id, Value: 10}); done {
		t.Fatal("a node outside the configuration counted")
	}
	r, done := c.Receive(f, 3, quorum.Reply{Call: id, Value: 5})
	if !done || r.Err != nil || r.Value != 15 || len(r.Replies) != 2 {
		t.Fatalf("got %+v done=%v, want 15 from 2 replies", r, done)
	}
	if _, done := c.Receive(f, 1, quorum.Reply{Call: id, Value: 1}); done || c.Active() {
		t.Fatal("a reply after the decision counted")
	}
	if d := cmp.Diff([]string{"set quorum/q 10ms", "cancel quorum/q"}, f.timers); d != "" {
		t.Fatalf("timers (-want +got):\n%s", d)
	}
}

func TestLateRepliesToOldCallsAreIgnored(t *testing.T) {
	f := &fake{}
	c := quorum.NewCaller[int]("q", 0)
	old := c.Call(f, majoritySpec(1, 2, 3))
	c.Call(f, majoritySpec(4, 5)) // a new configuration: the old call is abandoned
	for _, n := range []sim.NodeID{1, 2, 3, 4, 5} {
		if _, done := c.Receive(f, n, quorum.Reply{Call: old, Value: 1}); done {
			t.Fatalf("reply from %d to the old call decided the new one", n)
		}
	}
	earlier := quorum.CallID{Caller: "q", Epoch: 1, Seq: 2} // another incarnation
	if _, done := c.Receive(f, 4, quorum.Reply{Call: earlier, Value: 1}); done {
		t.Fatal("a reply from another epoch counted")
	}
}

func TestRetryThenTimeout(t *testing.T) {
	f := &fake{}
	c := quorum.NewCaller[int]("q", 0)
	id := c.Call(f, majoritySpec(1, 2, 3))
	c.Receive(f, 1, quorum.Reply{Call: id, Value: 1})
	f.sent = nil
	if _, done := c.Timer(f, c.TimerName()); done {
		t.Fatal("failed before the retries ran out")
	}
	if d := cmp.Diff([]string{`2 q#0.1 "arg2"`, `3 q#0.1 "arg3"`}, f.sent); d != "" {
		t.Fatalf("resent (-want +got):\n%s", d)
	}
	r, done := c.Timer(f, c.TimerName())
	if !done || !errors.Is(r.Err, quorum.ErrTimeout) || len(r.Replies) != 1 {
		t.Fatalf("got %+v done=%v, want a timeout with 1 reply", r, done)
	}
	if _, done := c.Timer(f, c.TimerName()); done {
		t.Fatal("a stale timer decided something")
	}
}

func TestIncomplete(t *testing.T) {
	f := &fake{}
	c := quorum.NewCaller[int]("q", 0)
	spec := majoritySpec(1, 2)
	spec.Quorum = func(rs []quorum.Response[int]) (int, bool) { return 0, false } // never satisfied
	id := c.Call(f, spec)
	c.Receive(f, 1, quorum.Reply{Call: id, Value: 1})
	r, done := c.Receive(f, 2, quorum.Reply{Call: id, Value: 1})
	if !done || !errors.Is(r.Err, quorum.ErrIncomplete) {
		t.Fatalf("got %+v done=%v, want ErrIncomplete", r, done)
	}
}

// summer is a sim agent that asks every server for a number on start and records
// the sum of the first majority; servers answer with their id, and one is down.
type summer struct {
	servers []sim.NodeID
	caller  *quorum.Caller[int]
	result  *quorum.Result[int]
}

func (s *summer) Start(ctx *sim.Context) {
	s.caller = quorum.NewCaller[int]("sum", 0)
	spec := quorum.Spec[int]{Nodes: s.servers, Arg: "n?", Quorum: quorum.AtLeast(quorum.Majority(len(s.servers)), sum),
		Timeout: 50 * sim.Millisecond, Retries: 3}
	s.caller.Call(ctx, spec)
}

func (s *summer) Receive(ctx *sim.Context, from sim.NodeID, msg sim.Message) {
	if r, done := s.caller.Receive(ctx, from, msg.(quorum.Reply)); done {
		s.result = &r
	}
}

func (s *summer) Timer(ctx *sim.Context, name string) {
	if r, done := s.caller.Timer(ctx, name); done {
		s.result = &r
	}
}

type server struct{}

func (server) Start(*sim.Context)         {}
func (server) Timer(*sim.Context, string) {}
func (server) Receive(ctx *sim.Context, from sim.NodeID, msg sim.Message) {
	ctx.Send(from, msg.(quorum.Request).Reply(int(ctx.Self())))
}

func TestInWorld(t *testing.T) {
	w := sim.New(sim.Options{Chooser: scheduler.NewSeeded(3)})
	servers := []sim.NodeID{1, 2, 3}
	client := &summer{servers: servers}
	w.AddAgent(sim.AgentSpec{Name: "c", New: func() sim.Agent { return client }})
	for _, id := range servers {
		w.AddAgent(sim.AgentSpec{Name: fmt.Sprintf("n%d", id), New: func() sim.Agent { return server{} }})
	}
	w.At(0, "crash n2", func(w *sim.World) { w.Crash("n2", sim.LoseUnsynced) })
	w.Run(sim.Second, 0)
	r := client.result
	if r == nil || r.Err != nil || r.Value != 4 {
		t.Fatalf("got %+v, want 1+3 from the servers that are up", r)
	}
}
