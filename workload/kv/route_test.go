package kv_test

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/orrery-sim/orrery/scheduler"
	"github.com/orrery-sim/orrery/sim"
	"github.com/orrery-sim/orrery/workload/kv"
)

// split is a toy service whose operations are served by different servers,
// like a chain of two: n1 applies writes, n2 serves reads (from the same data,
// so it is never stale). Either refuses the other kind with "not leader",
// naming the right server unless noHints. It logs each request that reached a
// server as "n1 write", "n2 read", ...
type split struct {
	data     map[string]string
	applied  map[sim.NodeID]uint64 // client → last write applied
	noHints  bool
	arrivals map[string]int
}

type splitServer struct{ s *split }

func (s splitServer) Start(*sim.Context)         {}
func (s splitServer) Timer(*sim.Context, string) {}
func (s splitServer) Receive(ctx *sim.Context, from sim.NodeID, m sim.Message) {
	req, c := m.(request), s.s
	read := req.Op.Kind.IsRead()
	kind := map[bool]string{true: "read", false: "write"}[read]
	c.arrivals[ctx.Name(ctx.Self())+" "+kind]++
	serves := sim.NodeID(0)
	if read {
		serves = 1
	}
	if ctx.Self() != serves {
		hint := serves
		if c.noHints {
			hint = kv.NoHint
		}
		ctx.Send(from, reply{Seq: req.Seq, NotLeader: true, Leader: hint})
		return
	}
	if !read {
		if req.Seq <= c.applied[from] {
			return // a retry of an applied write: this toy does not cache answers
		}
		c.applied[from] = req.Seq
	}
	ctx.Send(from, reply{Seq: req.Seq, Result: kv.Apply(c.data, req.Op)})
}

// byKind routes reads to the second server and writes to the first.
func byKind(_ *sim.Context, servers []sim.NodeID, op kv.Op, _ int) (sim.NodeID, bool) {
	if op.Kind.IsRead() {
		return servers[1], true
	}
	return servers[0], true
}

// TestClientRoute: with Protocol.Route every request reaches the server of its
// kind first, where without it a client seeking one leader bounces between
// them; retries and the fallback to leader seeking still work. The counts are
// pinned: a change in routing shows in review.
func TestClientRoute(t *testing.T) {
	type route = func(*sim.Context, []sim.NodeID, kv.Op, int) (sim.NodeID, bool)
	tests := []struct {
		name    string
		route   route
		noHints bool
		want    map[string]int // arrivals, and "ops" completed
	}{
		{name: "leader seeking", route: nil,
			want: map[string]int{"n1 read": 15, "n1 write": 25, "n2 read": 33, "n2 write": 14, "ops": 57}},
		{name: "routed by kind", route: byKind,
			want: map[string]int{"n1 write": 32, "n2 read": 36, "ops": 68}},
		{name: "routed by kind, no hints", route: byKind, noHints: true,
			want: map[string]int{"n1 write": 32, "n2 read": 36, "ops": 68}},
		{name: "reads routed, writes seek", noHints: true,
			route: func(ctx *sim.Context, servers []sim.NodeID, op kv.Op, attempt int) (sim.NodeID, bool) {
				return servers[1], op.Kind.IsRead()
			},
			want: map[string]int{"n1 write": 36, "n2 read": 29, "n2 write": 1, "ops": 65}},
		{name: "reads sent wrong, hinted on; writes seek",
			route: func(ctx *sim.Context, servers []sim.NodeID, op kv.Op, attempt int) (sim.NodeID, bool) {
				return servers[0], op.Kind.IsRead()
			},
			want: map[string]int{"n1 read": 30, "n1 write": 25, "n2 read": 29, "n2 write": 1, "ops": 54}},
		{name: "wrong first, right on retry", noHints: true,
			route: func(ctx *sim.Context, servers []sim.NodeID, op kv.Op, attempt int) (sim.NodeID, bool) {
				right, _ := byKind(ctx, servers, op, attempt)
				if attempt == 0 {
					return servers[1-right], true
				}
				return right, true
			},
			want: map[string]int{"n1 read": 14, "n1 write": 17, "n2 read": 13, "n2 write": 17, "ops": 30}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &split{data: map[string]string{}, applied: map[sim.NodeID]uint64{}, noHints: tt.noHints, arrivals: map[string]int{}}
			w := sim.New(sim.Options{Chooser: scheduler.NewSeeded(1)})
			servers := []sim.NodeID{0, 1}
			for i := range servers {
				w.AddAgent(sim.AgentSpec{Name: fmt.Sprintf("n%d", i+1), New: func() sim.Agent { return splitServer{s} }})
			}
			proto := protocol
			proto.Route = tt.route
			for i := 0; i < 2; i++ {
				w.AddAgent(sim.AgentSpec{Name: fmt.Sprintf("c%d", i+1), New: func() sim.Agent {
					return kv.NewClient(kv.ClientConfig[kv.Op]{Servers: servers, Timing: kv.DefaultTiming, Protocol: proto, Workload: kv.Mix()})
				}})
			}
			w.AddProperty(kv.Linearizable())
			if r := w.Run(sim.Second, sim.Second); r.Failed() {
				t.Fatalf("%s: %s", r.Property, r.Reason)
			}
			got := s.arrivals
			for _, op := range w.History().Ops {
				if op.Done {
					got["ops"]++
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("requests per server and kind (-want +got):\n%s", diff)
			}
		})
	}
}
