package explorecli

import (
	"bytes"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/orrery-sim/orrery/explore/actors"
	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/sim"
	"github.com/orrery-sim/orrery/traces"
)

// A protocol with a planted livelock, registered for these tests only: a
// caller asks, the callee answers busy until its warm-up timer fires (with
// the bug it never arms it), and the caller asks again on busy.

type msgAsk struct{}
type msgBusy struct{}
type msgDone struct{}

type asker struct{ Answered bool }

func (a *asker) Start(ctx *sim.Context) { ctx.Send(1, msgAsk{}) }
func (a *asker) Receive(ctx *sim.Context, _ sim.NodeID, m sim.Message) {
	if _, busy := m.(msgBusy); busy {
		ctx.Send(1, msgAsk{})
		return
	}
	a.Answered = true
}
func (a *asker) Timer(*sim.Context, string) {}

type answerer struct {
	Ready bool
	bug   bool
}

func (a *answerer) Start(ctx *sim.Context) {
	if !a.bug {
		ctx.SetTimer("warm-up", sim.Millisecond)
	}
}
func (a *answerer) Receive(ctx *sim.Context, from sim.NodeID, _ sim.Message) {
	if a.Ready {
		ctx.Send(from, msgDone{})
		return
	}
	ctx.Send(from, msgBusy{})
}
func (a *answerer) Timer(*sim.Context, string) { a.Ready = true }

func livelockSetup(bug bool) func(w *sim.World) (*protocols.Instance, error) {
	return func(w *sim.World) (*protocols.Instance, error) {
		a := w.AddAgent(sim.AgentSpec{Name: "asker", New: func() sim.Agent { return &asker{} }})
		b := w.AddAgent(sim.AgentSpec{Name: "answerer", New: func() sim.Agent { return &answerer{bug: bug} }})
		w.AddProperty(sim.Property{Name: "answered", Kind: sim.Eventually, Check: func(w *sim.World) error {
			if x, ok := w.Agent(a).(*asker); ok && x.Answered {
				return nil
			}
			return errors.New("no answer yet")
		}})
		return &protocols.Instance{Servers: []sim.NodeID{b}, Tolerates: 1}, nil
	}
}

func init() {
	protocols.Register(&protocols.Protocol{
		Name: "test-livelock", Summary: "a planted livelock (tests only)", Nodes: 1, MinNodes: 1, MaxNodes: 1,
		Bugs: []protocols.Bug{{Name: "no-warm-up", Summary: "the answerer never warms up"}},
		Setup: func(w *sim.World, o protocols.Options) (*protocols.Instance, error) {
			return livelockSetup(o.Bug != "")(w)
		},
		Explore: func(o protocols.Options) (*protocols.ExploreSpec, error) {
			return &protocols.ExploreSpec{Setup: livelockSetup(o.Bug != "")}, nil
		},
	})
	// The same agents with no property at all.
	unjudged := func(w *sim.World) (*protocols.Instance, error) {
		w.AddAgent(sim.AgentSpec{Name: "asker", New: func() sim.Agent { return &asker{} }})
		b := w.AddAgent(sim.AgentSpec{Name: "answerer", New: func() sim.Agent { return &answerer{} }})
		return &protocols.Instance{Servers: []sim.NodeID{b}, Tolerates: 1}, nil
	}
	judgedAtEnd := func(w *sim.World) (*protocols.Instance, error) {
		inst, err := unjudged(w)
		w.AddProperty(sim.Property{Name: "tidy", Kind: sim.AtEnd, Check: func(*sim.World) error { return nil }})
		return inst, err
	}
	protocols.Register(&protocols.Protocol{
		Name: "test-at-end", Summary: "an at-end property (tests only)", Nodes: 1, MinNodes: 1, MaxNodes: 1,
		Setup: func(w *sim.World, o protocols.Options) (*protocols.Instance, error) { return judgedAtEnd(w) },
		Explore: func(o protocols.Options) (*protocols.ExploreSpec, error) {
			return &protocols.ExploreSpec{Setup: judgedAtEnd}, nil
		},
	})
	protocols.Register(&protocols.Protocol{
		Name: "test-unjudged", Summary: "agents without properties (tests only)", Nodes: 1, MinNodes: 1, MaxNodes: 1,
		Setup: func(w *sim.World, o protocols.Options) (*protocols.Instance, error) { return unjudged(w) },
		Explore: func(o protocols.Options) (*protocols.ExploreSpec, error) {
			return &protocols.ExploreSpec{Setup: unjudged}, nil
		},
	})
}

// TestEventually: -eventually finds the planted livelock (exit 3), prints
// the lasso with why the property never holds again, and writes the prefix
// and one turn of the cycle as a trace that re-executes to the same
// verdict; the correct protocol passes, and without -eventually the
// property is reported unchecked.
func TestEventually(t *testing.T) {
	trace := filepath.Join(t.TempDir(), "livelock.jsonl")
	tests := []struct {
		name       string
		options    Options
		wantCode   int
		wantStdout []string
	}{
		{"bug", Options{Protocol: "test-livelock", BugName: "no-warm-up", Liveness: true, Trace: trace}, ExitLiveness, []string{
			"eventually=true", "eventually answered: violated", "counterexample for answered (3 states):",
			"--- cycle: steps 2-3 lead back to the state of step 1, for ever ---",
			"why: answered: steps 2-3 repeat for ever without it: no answer yet", "trace: " + trace}},
		{"correct", Options{Protocol: "test-livelock", Liveness: true}, ExitOK, []string{"eventually answered: holds", "edges=7 lasso-states=6"}},
		{"unchecked", Options{Protocol: "test-livelock", BugName: "no-warm-up"}, ExitOK, []string{
			"not checked under exploration: eventually answered (-eventually checks eventually properties)", "eventually answered: unchecked"}},
		{"at end", Options{Protocol: "test-at-end"}, ExitOK, []string{
			"not checked under exploration: at-end tidy (an at-end property added as Always in ExploreSpec.Setup is checked on every state)"}},
		{"nothing to check", Options{Protocol: "test-unjudged", Liveness: true}, ExitOK, []string{
			"-eventually: the protocol has no eventually property; the search checks safety only"}},
		{"json", Options{Model: "twophase", RMs: 2, BugName: "no-tm-timeout", Bug: true, Liveness: true, JSON: true}, ExitLiveness, []string{
			`"loop_at":4`, `"edges":41`, `"lasso_states":20`, `"verdict":"violated"`}},
		{"model-bug", Options{Model: "twophase", RMs: 2, BugName: "no-tm-timeout", Bug: true, Liveness: true}, ExitLiveness, []string{
			"bug=no-tm-timeout", "eventually Termination: violated", "--- back to the state of step 4 ---"}},
		{"model-symmetry", Options{Model: "twophase", Symmetry: true, Liveness: true}, ExitUsage, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := Run(tt.options, &stdout, &stderr); code != tt.wantCode {
				t.Errorf("exit %d, want %d; stdout:\n%s\nstderr:\n%s", code, tt.wantCode, stdout.String(), stderr.String())
			}
			for _, want := range tt.wantStdout {
				if !strings.Contains(stdout.String(), want) {
					t.Errorf("stdout lacks %q:\n%s", want, stdout.String())
				}
			}
		})
	}
	tr, err := traces.ReadFile(trace)
	if err != nil {
		t.Fatal(err)
	}
	c, choices, err := actors.FromTrace(tr)
	if err != nil {
		t.Fatal(err)
	}
	m, err := c.Model()
	if err != nil {
		t.Fatal(err)
	}
	run, err := c.Run(m, choices)
	if err != nil {
		t.Fatal(err)
	}
	if f := run.Footer(); f.Verdict != "liveness" || f.Hash != tr.Footer.Hash || tr.Footer.Verdict != "liveness" {
		t.Errorf("re-executed footer %+v, recorded %+v", f, tr.Footer)
	}
}

// -eventually with a search that stores no graph is bad usage that names
// the flag at fault and the running program, for a model and a protocol.
func TestEventuallyConflicts(t *testing.T) {
	tests := []struct {
		options Options
		flag    string
	}{
		{Options{Model: "twophase", DFS: true}, "-dfs"},
		{Options{Model: "twophase", Random: true}, "-random"},
		{Options{Model: "twophase", Symmetry: true}, "-symmetry"},
		{Options{Model: "twophase", FullState: true}, "-full-state"},
		{Options{Protocol: "raft", DFS: true}, "-dfs"},
		{Options{Protocol: "raft", Random: true}, "-random"},
		{Options{Protocol: "raft", DPOR: true, MaxDepth: 5}, "-dpor"},
	}
	for _, tt := range tests {
		t.Run(tt.flag, func(t *testing.T) {
			o := tt.options
			o.Liveness, o.Program = true, "locksim"
			var stdout, stderr bytes.Buffer
			code := Run(o, &stdout, &stderr)
			want := "locksim -explore: usage: -eventually needs the breadth-first search, which stores the graph its lasso search runs on; " +
				tt.flag + " excludes it: drop " + tt.flag + " or -eventually\n"
			if code != ExitUsage || stderr.String() != want {
				t.Errorf("exit %d, stderr %q; want %d, %q", code, stderr.String(), ExitUsage, want)
			}
		})
	}
}
