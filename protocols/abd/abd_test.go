package abd

import (
	"bytes"
	"testing"

	"github.com/orrery-sim/orrery/harness"
	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/scheduler"
	"github.com/orrery-sim/orrery/sim"
)

func run(t *testing.T, cfg harness.Config, trace *bytes.Buffer) *harness.Outcome {
	t.Helper()
	cfg.Protocol = "abd"
	if cfg.Faults == "" {
		cfg.Faults = "swarm"
	}
	o := harness.RunOptions{}
	if trace != nil {
		o.Trace = trace
	}
	out, err := harness.Run(cfg, o)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// sweepSeeds is the clean sweep the tests run; simrun -seeds 1-2000 runs more.
const sweepSeeds = 200

// TestCleanSweep: every property holds, reconfigurations included: they
// happen in many runs, and clients follow them to new configurations.
func TestCleanSweep(t *testing.T) {
	ops, changes, reconfigured, followed := 0, 0, 0, 0
	for seed := uint64(1); seed <= sweepSeeds; seed++ {
		out := run(t, harness.Config{Seed: seed}, nil)
		if r := out.Result; r.Failed() {
			t.Fatalf("seed %d: %s: %s", seed, r.Property, r.Reason)
		}
		w := out.World
		ops += len(w.History().Ops)
		for _, op := range w.History().Ops {
			if _, ok := op.Output.(Configured); ok {
				changes++
			}
		}
		if epoch := adminOf(w).Config().Epoch; epoch > 1 {
			reconfigured++
			for id := 0; id < w.Len(); id++ {
				if c, ok := w.Agent(sim.NodeID(id)).(*Client); ok && c.config.Epoch == epoch {
					followed++
					break
				}
			}
		}
	}
	if ops < sweepSeeds*100 {
		t.Fatalf("only %d operations in %d runs: the workload barely ran", ops, sweepSeeds)
	}
	if reconfigured < sweepSeeds/4 || followed < reconfigured/2 || changes < sweepSeeds {
		t.Fatalf("%d changes in %d runs; %d runs reconfigured, in %d a client reached the last configuration: too few", changes, sweepSeeds, reconfigured, followed)
	}
	t.Logf("%d changes; %d of %d runs reconfigured; in %d a client reached the last configuration", changes, reconfigured, sweepSeeds, followed)
}

func adminOf(w *sim.World) *Admin {
	id, _ := w.Lookup("admin")
	return w.Agent(id).(*Admin)
}

// TestSparesParam: -param spares=N, which the README documents, is declared,
// so Resolve (and simrun) accept it within its range and the run builds that
// many spares.
func TestSparesParam(t *testing.T) {
	p, err := protocols.Lookup("abd")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		value   string
		wantErr bool
	}{{"0", false}, {"8", false}, {"9", true}, {"x", true}} {
		_, err := p.Resolve(protocols.Options{Params: map[string]string{"spares": tc.value}})
		if (err != nil) != tc.wantErr {
			t.Errorf("spares=%s: err %v, want error %v", tc.value, err, tc.wantErr)
		}
	}
	w := sim.New(sim.Options{Chooser: scheduler.NewSeeded(1)})
	inst, err := Setup(w, protocols.Options{Nodes: 3, Clients: 1, Params: map[string]string{"spares": "1"}}, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(inst.Spares) != 1 {
		t.Errorf("spares=1 built %d spares", len(inst.Spares))
	}
}

// TestCallTimeoutParam: -param call-timeout-ms sets the wait of a client's
// quorum phases before a resend; without it the wait is callTimeout.
func TestCallTimeoutParam(t *testing.T) {
	for _, tc := range []struct {
		params map[string]string
		want   sim.Time
	}{{map[string]string{"spares": "0"}, callTimeout}, {map[string]string{"spares": "0", ParamCallTimeoutMs: "7"}, 7 * sim.Millisecond}} {
		w := sim.New(sim.Options{Chooser: scheduler.NewSeeded(1)})
		if _, err := Setup(w, protocols.Options{Nodes: 3, Clients: 1, Params: tc.params}, false); err != nil {
			t.Fatal(err)
		}
		w.RunUntil(0) // start the agents
		c, ok := w.Agent(3).(*Client)
		if !ok {
			t.Fatalf("agent 3 is %T, want the client", w.Agent(3))
		}
		if got := c.spec(nil).Timeout; got != tc.want {
			t.Errorf("params %v: phase timeout %v, want %v", tc.params, got, tc.want)
		}
	}
}
