package sim_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/orrery-sim/orrery/scheduler"
	"github.com/orrery-sim/orrery/sim"
)

// The engine benchmark: a minimal forwarding protocol in which every delivered
// message is forwarded to a random peer after a random delay, and every node has
// one periodic timer. BenchmarkEngineBaseline does the same work with a
// hand-written binary heap of (time, seq) events and no engine, so the ratio of the
// two is the engine's overhead.
const (
	benchNodes    = 16
	benchMessages = 64 // messages circulating at once
	benchTick     = 10 * sim.Millisecond
)

type forwarder struct {
	peers int
	ticks int
}

type msgHop struct{ Hops int }

func (f *forwarder) Start(ctx *sim.Context) {
	ctx.SetTimer("tick", benchTick)
	if int(ctx.Self()) < benchMessages%benchNodes || int(ctx.Self()) < benchMessages {
		for i := 0; i < benchMessages/benchNodes; i++ {
			ctx.Send(sim.NodeID(ctx.Rand(uint64(f.peers))), msgHop{})
		}
	}
}

func (f *forwarder) Receive(ctx *sim.Context, from sim.NodeID, msg sim.Message) {
	ctx.Send(sim.NodeID(ctx.Rand(uint64(f.peers))), msgHop{Hops: msg.(msgHop).Hops + 1})
}

func (f *forwarder) Timer(ctx *sim.Context, name string) {
	f.ticks++
	ctx.SetTimer("tick", benchTick)
}

func BenchmarkEngine(b *testing.B) {
	w := sim.New(sim.Options{Chooser: scheduler.NewSeeded(1)})
	for i := 0; i < benchNodes; i++ {
		w.AddAgent(sim.AgentSpec{Name: fmt.Sprintf("n%d", i), New: func() sim.Agent { return &forwarder{peers: benchNodes} }})
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		w.Step()
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// baseline event: what the engine's queue item plus payload amount to, minimally.
type baseEvent struct {
	at    int64
	seq   uint64
	node  int32
	timer bool
	hops  int
}

type baseHeap []baseEvent

func (h baseHeap) less(i, j int) bool {
	return h[i].at < h[j].at || (h[i].at == h[j].at && h[i].seq < h[j].seq)
}

func (h *baseHeap) push(e baseEvent) {
	*h = append(*h, e)
	s := *h
	for i := len(s) - 1; i > 0; {
		p := (i - 1) / 2
		if !s.less(i, p) {
			break
		}
		s[i], s[p] = s[p], s[i]
		i = p
	}
}

func (h *baseHeap) pop() baseEvent {
	s := *h
	top := s[0]
	last := len(s) - 1
	s[0] = s[last]
	s = s[:last]
	for i := 0; ; {
		c := 2*i + 1
		if c >= len(s) {
			break
		}
		if r := c + 1; r < len(s) && s.less(r, c) {
			c = r
		}
		if !s.less(c, i) {
			break
		}
		s[i], s[c] = s[c], s[i]
		i = c
	}
	*h = s
	return top
}

func BenchmarkEngineBaseline(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	delayMin, delaySpan := int64(sim.Millisecond), uint64(9*sim.Millisecond+1)
	h := baseHeap{}
	var seq uint64
	push := func(e baseEvent) { seq++; e.seq = seq; h.push(e) }
	ticks := make([]int, benchNodes)
	for n := 0; n < benchNodes; n++ {
		push(baseEvent{at: int64(benchTick), node: int32(n), timer: true})
	}
	for i := 0; i < benchMessages; i++ {
		push(baseEvent{at: delayMin + int64(rng.Uint64N(delaySpan)), node: int32(rng.Uint64N(benchNodes))})
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		e := h.pop()
		if e.timer {
			ticks[e.node]++
			push(baseEvent{at: e.at + int64(benchTick), node: e.node, timer: true})
			continue
		}
		to := int32(rng.Uint64N(benchNodes))
		push(baseEvent{at: e.at + delayMin + int64(rng.Uint64N(delaySpan)), node: to, hops: e.hops + 1})
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}
