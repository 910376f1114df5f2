package kv_test

import (
	"fmt"
	"maps"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/orrery-sim/orrery/scheduler"
	"github.com/orrery-sim/orrery/sim"
	"github.com/orrery-sim/orrery/workload/kv"
)

type request struct {
	Seq uint64
	Op  kv.Op
}

type reply struct {
	Seq       uint64
	NotLeader bool
	Leader    sim.NodeID
	Result    kv.Result
}

var protocol = kv.Protocol[kv.Op]{
	Request: func(seq uint64, op kv.Op) sim.Message { return request{seq, op} },
	Reply: func(m sim.Message) (kv.Reply, bool) {
		r, ok := m.(reply)
		return kv.Reply{Seq: r.Seq, NotLeader: r.NotLeader, Leader: r.Leader, Result: r.Result}, ok
	},
}

// store is a toy service: server 0 leads and applies each request once per
// client session; the others redirect to it. mute makes the leader ignore
// writes (a cluster that never recovers); appendTwice makes it apply a
// retried append again (no session).
type store struct {
	cluster *cluster
}

type cluster struct {
	data        map[string]string
	applied     map[sim.NodeID]uint64 // client → last sequence number applied
	mute        bool
	appendTwice bool
	staleGets   bool              // answer gets from a copy refreshed every staleEvery writes
	stale       map[string]string // that copy
	writes      int
	requests    []string // "c1#3 put a=..." per request a server received
}

func (s *store) Start(*sim.Context)         {}
func (s *store) Timer(*sim.Context, string) {}
func (s *store) Receive(ctx *sim.Context, from sim.NodeID, m sim.Message) {
	req := m.(request)
	c := s.cluster
	c.requests = append(c.requests, fmt.Sprintf("%s@%s#%d %s", ctx.Name(from), ctx.Name(ctx.Self()), req.Seq, req.Op.Describe()))
	if ctx.Self() != 0 {
		ctx.Send(from, reply{Seq: req.Seq, NotLeader: true, Leader: 0})
		return
	}
	if c.mute && !req.Op.Kind.IsRead() {
		return
	}
	if req.Seq <= c.applied[from] && !(c.appendTwice && req.Op.Kind == kv.Append) {
		return // a retry of an applied command: this toy does not cache answers
	}
	c.applied[from] = req.Seq
	if c.staleGets && req.Op.Kind == kv.Get {
		ctx.Send(from, reply{Seq: req.Seq, Result: kv.Apply(c.stale, req.Op)})
		return
	}
	ctx.Send(from, reply{Seq: req.Seq, Result: kv.Apply(c.data, req.Op)})
	if !req.Op.Kind.IsRead() {
		if c.writes++; c.writes%staleEvery == 0 {
			c.stale = maps.Clone(c.data)
		}
	}
}

// world builds three servers and clients running the standard mix, with
// write-after-heal and linearizability.
func world(seed uint64, clients, opsMax int, c *cluster) *sim.World {
	w := sim.New(sim.Options{Chooser: scheduler.NewSeeded(seed)})
	servers := []sim.NodeID{0, 1, 2}
	for i := range servers {
		w.AddAgent(sim.AgentSpec{Name: fmt.Sprintf("n%d", i+1), New: func() sim.Agent { return &store{c} }})
	}
	for i := 0; i < clients; i++ {
		w.AddAgent(sim.AgentSpec{Name: fmt.Sprintf("c%d", i+1), New: func() sim.Agent {
			return kv.NewClient(kv.ClientConfig[kv.Op]{Servers: servers, Timing: kv.DefaultTiming, OpsMax: opsMax,
				Protocol: protocol, Workload: kv.Mix()})
		}})
	}
	kv.WriteAfterHeal(w, servers, kv.IsWrite, func(*sim.World, sim.NodeID) string { return "up" })
	w.AddProperty(kv.Linearizable())
	return w
}

// staleEvery is how many writes the stale copy of a staleGets store lags.
const staleEvery = 8

func newCluster() *cluster {
	return &cluster{data: map[string]string{}, stale: map[string]string{}, applied: map[sim.NodeID]uint64{}}
}

// TestClientPasses: against a correct store the client finds the leader,
// numbers its operations 1, 2, ... and every property holds.
func TestClientPasses(t *testing.T) {
	c := newCluster()
	w := world(1, 3, 0, c)
	r := w.Run(2*sim.Second, 2*sim.Second)
	if r.Failed() {
		t.Fatalf("%s: %s", r.Property, r.Reason)
	}
	ops := w.History().Ops
	if len(ops) < 50 {
		t.Fatalf("only %d operations", len(ops))
	}
	next := map[sim.NodeID]uint64{}
	kinds := map[kv.Kind]int{}
	for _, op := range ops {
		next[op.Client]++
		kinds[op.Input.(kv.Op).Kind]++
	}
	for _, k := range []kv.Kind{kv.Get, kv.Put, kv.Delete, kv.Exists, kv.Count, kv.Append, kv.CAS} {
		if kinds[k] == 0 {
			t.Errorf("the mix drew no %s in %d operations", k, len(ops))
		}
	}
	for _, line := range c.requests {
		if strings.Contains(line, "@n2") || strings.Contains(line, "@n3") {
			return // some request was redirected from a follower
		}
	}
	t.Error("no request went to a follower first; the redirect path was not exercised")
}

// TestClientGivesUp: a write the cluster never answers is retried at
// several servers, then given up and left open; the next operation takes the
// next sequence number. write-after-heal then fails as a liveness violation.
func TestClientGivesUp(t *testing.T) {
	c := newCluster()
	c.mute = true
	w := world(2, 1, 0, c)
	r := w.Run(5*sim.Second, 4*sim.Second)
	if r.Verdict != sim.VerdictLiveness || r.Property != kv.PropWriteAfterHeal {
		t.Fatalf("verdict %s on %q (%s), want liveness on write-after-heal", r.Verdict, r.Property, r.Reason)
	}
	if !strings.Contains(r.Reason, "no write issued since the heal has completed") || !strings.Contains(r.Reason, "n1 up; n2 up; n3 up") {
		t.Errorf("reason %q", r.Reason)
	}
	var open []int
	requests := strings.Join(c.requests, "\n") + "\n"
	for i, op := range w.History().Ops {
		if !op.Done {
			open = append(open, i)
		}
		if want := fmt.Sprintf("c1@n1#%d %s\n", i+1, op.Input.(kv.Op).Describe()); !strings.Contains(requests, want) {
			t.Errorf("operation %d never reached the leader as %q", i, want)
		}
	}
	if len(open) < 2 {
		t.Errorf("open operations %v: want the given-up writes left open", open)
	}
}

// TestCappedClientProbes: a client with OpsMax issues that many operations
// in the safety phase, then in the liveness phase writes until a write
// completes.
func TestCappedClientProbes(t *testing.T) {
	w := world(3, 1, 4, newCluster())
	r := w.Run(2*sim.Second, 2*sim.Second)
	if r.Failed() {
		t.Fatalf("%s: %s", r.Property, r.Reason)
	}
	var got []string
	for _, op := range w.History().Ops {
		phase := "safety"
		if op.Call >= 2*sim.Second {
			phase = "liveness"
		}
		got = append(got, phase)
	}
	if diff := cmp.Diff([]string{"safety", "safety", "safety", "safety", "liveness"}, got); diff != "" {
		t.Errorf("operations by phase (-want +got):\n%s", diff)
	}
}

// TestLinearizableCatchesDoubleAppend: a store that applies a retried
// append twice is caught, and the explanation names clients and prints
// times in seconds.
func TestLinearizableCatchesDoubleAppend(t *testing.T) {
	for seed := uint64(1); seed <= 20; seed++ {
		c := newCluster()
		c.appendTwice = true
		w := world(seed, 3, 0, c)
		w.SetNetwork(sim.NetworkConfig{DelayMin: sim.Millisecond, DelayMax: 200 * sim.Millisecond})
		w.SetLoss(0, 200_000)
		r := w.Run(3*sim.Second, 2*sim.Second)
		if !r.Failed() {
			continue
		}
		if r.Property != kv.PropLinearizable {
			t.Fatalf("seed %d: %s failed (%s), want linearizability", seed, r.Property, r.Reason)
		}
		if !regexp.MustCompile(`#\d+ c[123] \[\d+(\.\d+)?s,(\d+(\.\d+)?s|open)\] `).MatchString(r.Reason) {
			t.Errorf("seed %d: explanation without agent names and times in seconds:\n%s", seed, r.Reason)
		}
		return
	}
	t.Fatal("no seed in 1..20 caught a store that applies retried appends twice")
}
