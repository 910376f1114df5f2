package shrink

import (
	"fmt"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/orrery-sim/orrery/harness"
	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/scheduler"
	"github.com/orrery-sim/orrery/sim"
)

// counter ticks every few milliseconds.
type counter struct{ ticks int }

func (c *counter) Start(ctx *sim.Context)                        { ctx.SetTimer("tick", 5*sim.Millisecond) }
func (c *counter) Receive(*sim.Context, sim.NodeID, sim.Message) {}
func (c *counter) Timer(ctx *sim.Context, _ string) {
	c.ticks++
	ctx.SetTimer("tick", 5*sim.Millisecond)
}

// fixedCluster always builds three servers and one client, whatever the
// options ask (as ovid's cluster file does), and fails once n1 ticked five
// times.
var fixedCluster = &protocols.Protocol{
	Name: "fixed-cluster", Nodes: 3, MinNodes: 1, MaxNodes: 5, Clients: 2, Safety: sim.Second, Liveness: sim.Second,
	Setup: func(w *sim.World, o protocols.Options) (*protocols.Instance, error) {
		var servers []sim.NodeID
		for i := range 3 {
			servers = append(servers, w.AddAgent(sim.AgentSpec{Name: fmt.Sprintf("n%d", i+1), New: func() sim.Agent { return &counter{} }}))
		}
		w.AddAgent(sim.AgentSpec{Name: "c1", New: func() sim.Agent { return &counter{} }})
		w.AddProperty(sim.Property{Name: "few-ticks", Kind: sim.Always, Check: func(w *sim.World) error {
			if c, _ := w.Agent(servers[0]).(*counter); c != nil && c.ticks >= 5 {
				return fmt.Errorf("n1 ticked %d times", c.ticks)
			}
			return nil
		}})
		return &protocols.Instance{Servers: servers, Tolerates: 1}, nil
	},
}

// TestIgnoredReductionsAreNotReported: a protocol that ignores -nodes and
// -clients keeps its cluster; the shrinker does not report fewer nodes or
// clients that the world never had.
func TestIgnoredReductionsAreNotReported(t *testing.T) {
	c, _, err := FromSeed(harness.Config{Impl: fixedCluster, Seed: 1, Faults: "none"})
	if err != nil {
		t.Fatal(err)
	}
	r, err := Shrink(c, Options{RunsMax: 500, Time: -1})
	if err != nil {
		t.Fatal(err)
	}
	got := [4]int{r.Before.Nodes, r.After.Nodes, r.Before.Clients, r.After.Clients}
	if diff := cmp.Diff([4]int{3, 3, 1, 1}, got); diff != "" {
		t.Fatalf("nodes before/after, clients before/after (-want +got):\n%s", diff)
	}
}

// threshold fails once n1 ticked as often as its constant says (default 20).
var threshold = &protocols.Protocol{
	Name: "threshold", Nodes: 1, MinNodes: 1, MaxNodes: 1, Safety: sim.Second, Liveness: sim.Second,
	Params: []protocols.Param{{Name: "ticks", Kind: protocols.ParamInt, Default: "20", Min: 2, Max: 100, Shrink: true}},
	Setup: func(w *sim.World, o protocols.Options) (*protocols.Instance, error) {
		limit := 20
		if v, ok := o.Params["ticks"]; ok {
			if _, err := fmt.Sscan(v, &limit); err != nil {
				return nil, err
			}
		}
		id := w.AddAgent(sim.AgentSpec{Name: "n1", New: func() sim.Agent { return &counter{} }})
		w.AddProperty(sim.Property{Name: "few-ticks", Kind: sim.Always, Check: func(w *sim.World) error {
			if c, _ := w.Agent(id).(*counter); c != nil && c.ticks >= limit {
				return fmt.Errorf("n1 ticked %d times", c.ticks)
			}
			return nil
		}})
		return &protocols.Instance{Servers: []sim.NodeID{id}}, nil
	},
}

// TestConstantsAreLowered: an integer parameter declared with Shrink set
// (protocols.Param) is lowered through Params to the smallest value
// that still fails, here its minimum, and the run shortens with it.
func TestConstantsAreLowered(t *testing.T) {
	c, _, err := FromSeed(harness.Config{Impl: threshold, Seed: 1, Faults: "none"})
	if err != nil {
		t.Fatal(err)
	}
	r, err := Shrink(c, Options{RunsMax: 500, Time: -1})
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Case.Config.Params["ticks"]; got != "2" || r.After.Events >= r.Before.Events {
		t.Fatalf("ticks=%q, events %d → %d; want ticks=2 and fewer events", got, r.Before.Events, r.After.Events)
	}
}

// ticker ticks every period and fails at 300 ms: a story told between
// periodic events, all but the last of which it does not need.
var ticker = &protocols.Protocol{
	Name: "ticker", Nodes: 1, MinNodes: 1, MaxNodes: 1, Safety: sim.Second, Liveness: sim.Second,
	Params: []protocols.Param{{Name: "period-ms", Kind: protocols.ParamInt, Default: "5", Min: 1, Max: 40, Raise: true}},
	Setup: func(w *sim.World, o protocols.Options) (*protocols.Instance, error) {
		period, err := protocols.MillisParam(o.Params, "period-ms", 5*sim.Millisecond)
		if err != nil {
			return nil, err
		}
		id := w.AddAgent(sim.AgentSpec{Name: "n1", New: func() sim.Agent { return &periodic{period: period} }})
		w.AddProperty(sim.Property{Name: "short", Kind: sim.Always, Check: func(w *sim.World) error {
			if w.Now() >= 300*sim.Millisecond {
				return fmt.Errorf("still running at %v", w.Now())
			}
			return nil
		}})
		return &protocols.Instance{Servers: []sim.NodeID{id}}, nil
	},
}

type periodic struct{ period sim.Time }

func (p *periodic) Start(ctx *sim.Context)                        { ctx.SetTimer("tick", p.period) }
func (p *periodic) Receive(*sim.Context, sim.NodeID, sim.Message) {}
func (p *periodic) Timer(ctx *sim.Context, _ string)              { ctx.SetTimer("tick", p.period) }

// TestConstantsAreRaised: an integer parameter declared with Raise set is
// raised through Params and the run tells the same failure in fewer events:
// 10 ticks of 30 ms instead of 60 of 5 ms (not 40 ms: the safety phase,
// cut at the failure first, ends before the tick at 320 ms).
func TestConstantsAreRaised(t *testing.T) {
	c, _, err := FromSeed(harness.Config{Impl: ticker, Seed: 1, Faults: "none"})
	if err != nil {
		t.Fatal(err)
	}
	r, err := Shrink(c, Options{RunsMax: 500, Time: -1})
	if err != nil {
		t.Fatal(err)
	}
	type got struct {
		Period         string
		Before, Events uint64
	}
	if diff := cmp.Diff(got{"30", 62, 12}, got{r.Case.Config.Params["period-ms"], r.Before.Events, r.After.Events}); diff != "" {
		t.Fatalf("(-want +got):\n%s", diff)
	}
}

// TestLoweredConstantsKeepTheProtocolSettingUp: a sweep's lowered constants
// halve each parameter declared Shrink and then double each declared Raise,
// except where the protocol would refuse the run (raft's election timeout
// must stay above its heartbeat).
func TestLoweredConstantsKeepTheProtocolSettingUp(t *testing.T) {
	_, proto, err := harness.Config{Protocol: "raft"}.Resolve()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		params, want map[string]string
	}{
		{nil, map[string]string{"snapshot-every": "16", "election-timeout-ms": "150", "client-retry-ms": "75", "heartbeat-ms": "100"}},
		{map[string]string{"election-timeout-ms": "100", "snapshot-every": "3"}, // a heartbeat of 100 ms is refused
			map[string]string{"election-timeout-ms": "100", "snapshot-every": "1", "client-retry-ms": "75"}},
		{map[string]string{"election-timeout-ms": "75", "snapshot-every": "1", "client-retry-ms": "1"}, nil}, // nothing to move
	}
	for _, tt := range tests {
		s := &shrinker{proto: proto, cur: Case{Config: harness.Config{Protocol: "raft", Seed: 1, Nodes: 3, Clients: 1, Params: tt.params}}}
		if diff := cmp.Diff(tt.want, s.loweredConstants()); diff != "" {
			t.Errorf("params %v: lowered (-want +got):\n%s", tt.params, diff)
		}
	}
}

// TestSweepsLowerTimers: paxos's duplicated append (no-session-dedupe) shrinks
// with a lowered election timeout, which only a sweep's fresh seeds can find
// (the timer changes every later draw), and the result, its parameters
// recorded, replays to the same failure.
func TestSweepsLowerTimers(t *testing.T) {
	c, out, err := FromSeed(harness.Config{Protocol: "paxos", Seed: 234, Bug: "no-session-dedupe", Faults: "swarm", FixedCluster: true})
	if err != nil {
		t.Fatal(err)
	}
	r, err := Shrink(c, Options{RunsMax: 12000, Time: -1})
	if err != nil {
		t.Fatal(err)
	}
	timeout, err := strconv.Atoi(r.Case.Config.Params["election-timeout-ms"])
	if err != nil || timeout >= 300 || r.After.Events > 160 {
		t.Fatalf("shrunk to %+v with params %v; want election-timeout-ms below 300 and at most 160 events", r.After, r.Case.Config.Params)
	}
	again, err := r.Case.Run(harness.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := Signature{Verdict: out.Result.Verdict, Property: out.Result.Property}
	got := Signature{Verdict: again.Result.Verdict, Property: again.Result.Property}
	if diff := cmp.Diff(want, got); diff != "" || again.Result.Events != r.After.Events {
		t.Errorf("replay of the shrunk case: %d events, failure (-want +got):\n%s", again.Result.Events, diff)
	}
}

// TestProbesAreNotOverTheCap: a capped kv client (raft's) writes once more
// in the liveness phase, a probe for write-after-heal; that operation is
// not one the cap counts, so the shrinker does not take the protocol for
// one that ignores the cap (which would turn off its sweeps).
func TestProbesAreNotOverTheCap(t *testing.T) {
	cfg := harness.Config{Protocol: "raft", Seed: 1, Nodes: 3, Clients: 1, Ops: 2, Faults: "none"}
	c, out, aborted, err := bounded(cfg, scheduler.NewSeeded(cfg.Seed), 0)
	if err != nil || aborted {
		t.Fatal(err, aborted)
	}
	var calls []sim.Time
	for _, op := range out.World.History().Ops {
		calls = append(calls, op.Call)
	}
	if len(calls) != 3 || calls[2] < out.Config.Safety {
		t.Fatalf("operations invoked at %v (safety phase %v): want two in it and a probe after", calls, out.Config.Safety)
	}
	if got := measure(c, out).clientOpsMax; got != 2 {
		t.Errorf("clientOpsMax %d, want 2: the probe is not counted", got)
	}
}
