package sim_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/orrery-sim/orrery/scheduler"
	"github.com/orrery-sim/orrery/sim"
	"github.com/orrery-sim/orrery/traces"
)

// envelope is one Go type carrying many kinds of message, as a codec for
// another system's messages is.
type envelope struct {
	Kind string
	N    int
}

func (e envelope) TypeName() string { return e.Kind }

type MsgApp struct{ N int }
type MsgVote struct{ N int }

func TestTypeName(t *testing.T) {
	tests := []struct {
		msg  sim.Message
		want string
	}{
		{MsgApp{1}, "MsgApp"},
		{&MsgApp{1}, "*sim_test.MsgApp"},
		{[]int{1}, "[]int"},
		{nil, "<nil>"},
		{envelope{Kind: "MsgHeartbeat"}, "MsgHeartbeat"},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, sim.TypeName(tt.msg)); diff != "" {
			t.Errorf("TypeName(%#v) (-want +got):\n%s", tt.msg, diff)
		}
	}
	if got, want := sim.Describe(envelope{Kind: "MsgApp", N: 3}), "MsgApp{Kind:MsgApp N:3}"; got != want {
		t.Errorf("Describe = %q, want %q", got, want)
	}
}

// talker sends, on each tick, a message made by wrap from the tick count.
type talker struct {
	peer  sim.NodeID
	wrap  func(n int) sim.Message
	ticks int
}

func (a *talker) Start(ctx *sim.Context)                        { ctx.SetTimer("tick", sim.Millisecond) }
func (a *talker) Receive(*sim.Context, sim.NodeID, sim.Message) {}
func (a *talker) Timer(ctx *sim.Context, name string) {
	a.ticks++
	ctx.Send(a.peer, a.wrap(a.ticks))
	ctx.SetTimer("tick", sim.Millisecond)
}

// runTalkers runs two talkers and returns the trace's message types and hash.
func runTalkers(wrap func(n int) sim.Message) ([]string, uint64) {
	w := sim.New(sim.Options{Chooser: scheduler.NewSeeded(7)})
	for i := range 2 {
		w.AddAgent(sim.AgentSpec{Name: string(rune('a' + i)), New: func() sim.Agent {
			return &talker{peer: sim.NodeID(1 - i), wrap: wrap}
		}})
	}
	var types []string
	w.SetTrace(func(e *traces.Event) {
		if e.Kind == traces.KindRecv {
			types = append(types, e.Type)
		}
	})
	w.RunUntil(20 * sim.Millisecond)
	return types, w.Hash()
}

// TestTypeNameNamesWrappedMessages: a wrapper that names the kind it carries
// shows that kind in the trace and hashes exactly as distinct Go types of those
// names would.
func TestTypeNameNamesWrappedMessages(t *testing.T) {
	kinds := []string{"MsgApp", "MsgVote"}
	wrapped, wrappedHash := runTalkers(func(n int) sim.Message { return envelope{Kind: kinds[n%2], N: n} })
	plain, plainHash := runTalkers(func(n int) sim.Message {
		if n%2 == 0 {
			return MsgApp{n}
		}
		return MsgVote{n}
	})
	if len(plain) < 10 {
		t.Fatalf("only %d deliveries", len(plain))
	}
	if diff := cmp.Diff(plain, wrapped); diff != "" {
		t.Errorf("event types (-plain +wrapped):\n%s", diff)
	}
	if plainHash != wrappedHash {
		t.Errorf("hash %x with Go types, %x with TypeName", plainHash, wrappedHash)
	}
}
