package actors_test

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/orrery-sim/orrery/explore"
	"github.com/orrery-sim/orrery/explore/actors"
	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/sim"
)

// A toy protocol: a pinger pings when its timer fires, counts the pongs it got
// in durable storage (synced only every second pong) and re-arms its timer
// after each, up to three; a ponger answers every ping.

type msgPing struct{ N int }
type msgPong struct{ N int }

type pinger struct{ got int }

func (p *pinger) Start(ctx *sim.Context) {
	if v, ok := ctx.Storage().Get("got"); ok {
		p.got, _ = strconv.Atoi(string(v))
	}
	ctx.SetTimer("ping", sim.Millisecond)
}

func (p *pinger) Receive(ctx *sim.Context, from sim.NodeID, m sim.Message) {
	if pong, ok := m.(msgPong); ok && pong.N == p.got {
		p.got++
		ctx.Storage().Put("got", []byte(strconv.Itoa(p.got)))
		if p.got%2 == 0 {
			ctx.Sync()
		}
		if p.got < 3 {
			ctx.SetTimer("ping", sim.Millisecond)
		}
	}
}

func (p *pinger) Timer(ctx *sim.Context, name string) { ctx.Send(1, msgPing{N: p.got}) }

type ponger struct{}

func (ponger) Start(*sim.Context) {}
func (ponger) Receive(ctx *sim.Context, from sim.NodeID, m sim.Message) {
	ctx.Send(from, msgPong{N: m.(msgPing).N})
}
func (ponger) Timer(*sim.Context, string) {}

func toySetup(limit int) func(w *sim.World) (*protocols.Instance, error) {
	return func(w *sim.World) (*protocols.Instance, error) {
		a := w.AddAgent(sim.AgentSpec{Name: "a", New: func() sim.Agent { return &pinger{} }})
		w.AddAgent(sim.AgentSpec{Name: "b", New: func() sim.Agent { return ponger{} }})
		w.AddProperty(sim.Property{Name: "bounded", Kind: sim.Always, Check: func(w *sim.World) error {
			if p, ok := w.Agent(a).(*pinger); ok && p.got > limit {
				return errors.New("got " + strconv.Itoa(p.got))
			}
			return nil
		}})
		w.AddProperty(sim.Property{Name: "done", Kind: sim.Sometimes, Check: func(w *sim.World) error {
			if p, ok := w.Agent(a).(*pinger); ok && p.got == 3 {
				return nil
			}
			return errors.New("not yet")
		}})
		return &protocols.Instance{Servers: []sim.NodeID{a}, Tolerates: 1}, nil
	}
}

type counts struct {
	States, Depth int64
	Status        explore.Status
}

func TestToyCounts(t *testing.T) {
	tests := []struct {
		network actors.Network
		crashes int
		limit   int
		want    counts
	}{
		{actors.Unordered, 0, 3, counts{10, 10, explore.StatusComplete}},
		{actors.Duplicating, 0, 3, counts{10, 10, explore.StatusComplete}},
		{actors.FIFO, 0, 3, counts{10, 10, explore.StatusComplete}},
		{actors.Lossy, 0, 3, counts{13, 10, explore.StatusComplete}},
		// A restart while a pong is in flight: Start re-arms the timer, so
		// the pinger pings once too often and a fourth pong arrives.
		{actors.Unordered, 1, 3, counts{74, 15, explore.StatusViolated}},
		{actors.Unordered, 0, 2, counts{10, 10, explore.StatusViolated}},
	}
	for _, tt := range tests {
		name := tt.network.String() + "/crashes=" + strconv.Itoa(tt.crashes) + "/limit=" + strconv.Itoa(tt.limit)
		t.Run(name, func(t *testing.T) {
			m, err := actors.New(actors.Config{Name: "toy", Setup: toySetup(tt.limit), Network: tt.network, CrashesMax: tt.crashes})
			if err != nil {
				t.Fatal(err)
			}
			var got []counts
			for _, workers := range []int{1, 2} {
				r, err := explore.Check(context.Background(), m, explore.Options{Workers: workers})
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, counts{r.States, int64(r.Depth), r.Status})
			}
			if diff := cmp.Diff([]counts{tt.want, tt.want}, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// The counterexample re-executes into trace events: one step per action, its
// order choice on its first event, message ids linking sends and deliveries.
func TestTraceOfCounterexample(t *testing.T) {
	m, err := actors.New(actors.Config{Name: "toy", Setup: toySetup(0), Network: actors.Unordered})
	if err != nil {
		t.Fatal(err)
	}
	r, err := explore.Check(context.Background(), m, explore.Options{Workers: 1})
	if err != nil || r.Counterexample == nil {
		t.Fatalf("want a counterexample, got %+v, %v", r, err)
	}
	run, err := m.Trace(r.Counterexample.Choices)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range run.Events {
		got = append(got, fmt.Sprintf("%s %v msg=%d", e.Desc, e.Choices, e.Msg))
	}
	want := []string{
		`0.000000s a start [order:0/1] msg=0`,
		`0.000000s b start [] msg=0`,
		`0.001000s a timer ping [order:0/1] msg=0`,
		`0.002000s b ← a actors_test.msgPing{N:0} [order:0/1] msg=1`,
		`0.003000s a ← b actors_test.msgPong{N:0} [order:0/1] msg=2`,
		`0.003000s fail: bounded: got 1 [] msg=0`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("trace (-want +got):\n%s", diff)
	}
	if run.Failure != "bounded" || run.Reason != "got 1" || run.Footer().Verdict != "safety" {
		t.Errorf("failure %q %q, footer %+v", run.Failure, run.Reason, run.Footer())
	}
}
