package cli

import (
	"bytes"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/sim"
)

// exploreToy is a protocol registered for these tests only: a pinger whose
// second pong breaks its invariant.
type exploreToy struct{ got int }

type toyPing struct{}
type toyPong struct{}

func (a *exploreToy) Start(ctx *sim.Context) { ctx.SetTimer("ping", sim.Millisecond) }
func (a *exploreToy) Receive(ctx *sim.Context, from sim.NodeID, m sim.Message) {
	if _, ok := m.(toyPing); ok {
		ctx.Send(from, toyPong{})
		return
	}
	a.got++
	ctx.Logf("pong %d", a.got)
	ctx.SetTimer("ping", sim.Millisecond)
}
func (a *exploreToy) Timer(ctx *sim.Context, _ string) { ctx.Send(1-ctx.Self(), toyPing{}) }

func init() {
	setup := func(w *sim.World) (*protocols.Instance, error) {
		for _, name := range []string{"a", "b"} {
			w.AddAgent(sim.AgentSpec{Name: name, New: func() sim.Agent { return &exploreToy{} }})
		}
		w.AddProperty(sim.Property{Name: "one-pong", Kind: sim.Always, Check: func(w *sim.World) error {
			if a, ok := w.Agent(0).(*exploreToy); ok && a.got > 1 {
				return errors.New("a got two pongs")
			}
			return nil
		}})
		return &protocols.Instance{Servers: []sim.NodeID{0, 1}, Tolerates: 1}, nil
	}
	protocols.Register(&protocols.Protocol{Name: "explore-toy", Summary: "test only", Nodes: 2, MinNodes: 2, MaxNodes: 2,
		Setup: func(w *sim.World, _ protocols.Options) (*protocols.Instance, error) { return setup(w) },
		Explore: func(protocols.Options) (*protocols.ExploreSpec, error) {
			return &protocols.ExploreSpec{Setup: setup}, nil
		}})
}

// An explored counterexample is a trace file that -replay re-executes event
// for event and -html renders.
func TestExploreProtocolTraceReplays(t *testing.T) {
	dir := t.TempDir()
	trace, html := filepath.Join(dir, "toy.jsonl"), filepath.Join(dir, "toy.html")
	var out, errs bytes.Buffer
	if code := run([]string{"-explore", "-protocol", "explore-toy", "-workers", "2", "-trace", trace}, &out, &errs); code != 1 {
		t.Fatalf("explore: exit %d, want 1\n%s%s", code, out.String(), errs.String())
	}
	for _, want := range []string{"always one-pong: violated", "why: one-pong: a got two pongs", "trace: " + trace} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("explore output lacks %q:\n%s", want, out.String())
		}
	}
	out.Reset()
	if code := run([]string{"-replay", trace, "-html", html}, &out, &errs); code != 1 {
		t.Fatalf("replay: exit %d, want 1\n%s%s", code, out.String(), errs.String())
	}
	if !strings.Contains(out.String(), "replay identical:") || !strings.Contains(out.String(), "one-pong: a got two pongs") {
		t.Errorf("replay output:\n%s", out.String())
	}
}

// explorePanicky is explore-toy with properties that panic once a got a pong:
// an invariant (kind always) or a reachability goal (sometimes).
func init() {
	for _, kind := range []sim.PropertyKind{sim.Always, sim.Sometimes} {
		setup := func(w *sim.World) (*protocols.Instance, error) {
			for _, name := range []string{"a", "b"} {
				w.AddAgent(sim.AgentSpec{Name: name, New: func() sim.Agent { return &exploreToy{} }})
			}
			w.AddProperty(sim.Property{Name: "reads-nil", Kind: kind, Check: func(w *sim.World) error {
				if a, ok := w.Agent(0).(*exploreToy); ok && a.got > 0 {
					var m map[int]int
					m[a.got]++
				}
				if kind == sim.Sometimes {
					return errors.New("not yet")
				}
				return nil
			}})
			return &protocols.Instance{Servers: []sim.NodeID{0, 1}, Tolerates: 1}, nil
		}
		protocols.Register(&protocols.Protocol{Name: "explore-panicky-" + kind.String(), Summary: "test only", Nodes: 2, MinNodes: 2, MaxNodes: 2,
			Setup: func(w *sim.World, _ protocols.Options) (*protocols.Instance, error) { return setup(w) },
			Explore: func(protocols.Options) (*protocols.ExploreSpec, error) {
				return &protocols.ExploreSpec{Setup: setup}, nil
			}})
	}
}

// TestExplorePropertyPanicIsACounterexample: a property that panics on a
// state fails with the path to that state (exit 1) instead of killing the
// process; for a goal the no-panic invariant fails.
func TestExplorePropertyPanicIsACounterexample(t *testing.T) {
	for kind, want := range map[string]string{
		"always":    "why: reads-nil: panicked: assignment to entry in nil map",
		"sometimes": "why: no-panic: property reads-nil panicked: assignment to entry in nil map",
	} {
		var out, errs bytes.Buffer
		if code := run([]string{"-explore", "-protocol", "explore-panicky-" + kind, "-workers", "2"}, &out, &errs); code != 1 {
			t.Fatalf("%s: exit %d, want 1\n%s%s", kind, code, out.String(), errs.String())
		}
		if !strings.Contains(out.String(), want) || !strings.Contains(out.String(), "counterexample for") {
			t.Errorf("%s: output lacks %q and a counterexample:\n%s", kind, want, out.String())
		}
	}
}

// TestExploreWithCrashes: with a crash budget the explore properties of raft
// and twopc read servers that are down; a bounded search finds no violation
// (exit 3: the state limit stopped it).
func TestExploreWithCrashes(t *testing.T) {
	for _, args := range [][]string{
		{"-protocol", "raft", "-nodes", "3", "-max-crashes", "1", "-max-states", "3000"},
		{"-protocol", "twopc", "-nodes", "2", "-max-crashes", "2", "-max-states", "3000"},
	} {
		var out, errs bytes.Buffer
		if code := run(append([]string{"-explore", "-workers", "2"}, args...), &out, &errs); code != 3 {
			t.Errorf("%v: exit %d, want 3 (limit)\n%s%s", args, code, out.String(), errs.String())
		}
		if strings.Contains(out.String(), "violated") {
			t.Errorf("%v: a violation:\n%s", args, out.String())
		}
	}
}

// -param reaches the explored protocol and its trace: Paxos on two servers
// with Q2 = 1 holds, and with nonintersecting-quorums (then Q1 = 1 too) two
// leaders decide different values in one slot; the counterexample replays
// from the trace alone, parameters included.
func TestExploreProtocolParams(t *testing.T) {
	trace := filepath.Join(t.TempDir(), "paxos.jsonl")
	var out, errs bytes.Buffer
	args := []string{"-explore", "-protocol", "paxos", "-nodes", "2", "-param", "q2=1", "-workers", "2"}
	if code := run(args, &out, &errs); code != 0 || !strings.Contains(out.String(), "states=29761 ") {
		t.Fatalf("clean: exit %d, want 0 and 29761 states\n%s%s", code, out.String(), errs.String())
	}
	out.Reset()
	if code := run(append(args, "-bug", "nonintersecting-quorums", "-trace", trace), &out, &errs); code != 1 {
		t.Fatalf("bug: exit %d, want 1\n%s%s", code, out.String(), errs.String())
	}
	out.Reset()
	if code := run([]string{"-replay", trace}, &out, &errs); code != 1 || !strings.Contains(out.String(), "replay identical:") {
		t.Errorf("replay: exit %d, want 1 and an identical replay\n%s%s", code, out.String(), errs.String())
	}
}

// -config explores a cluster file's own agents: the two-server example holds
// with a crash, and with ack-before-sync the crash loses an acknowledged
// write; the counterexample replays from its trace, cluster included.
func TestExploreClusterFile(t *testing.T) {
	trace := filepath.Join(t.TempDir(), "ovid.jsonl")
	var out, errs bytes.Buffer
	args := []string{"-explore", "-config", "../examples/kvpair.json", "-max-crashes", "1", "-workers", "2"}
	if code := run(args, &out, &errs); code != 0 || !strings.Contains(out.String(), "states=486 ") {
		t.Fatalf("clean: exit %d, want 0 and 486 states\n%s%s", code, out.String(), errs.String())
	}
	out.Reset()
	if code := run(append(args, "-bug", "ack-before-sync", "-trace", trace), &out, &errs); code != 1 || !strings.Contains(out.String(), "mirror-is-prefix: violated") {
		t.Fatalf("bug: exit %d, want 1\n%s%s", code, out.String(), errs.String())
	}
	out.Reset()
	if code := run([]string{"-replay", trace}, &out, &errs); code != 1 || !strings.Contains(out.String(), "replay identical:") {
		t.Errorf("replay: exit %d, want 1 and an identical replay\n%s%s", code, out.String(), errs.String())
	}
}

// TestExploreWalks: -walks sets how many walks -random runs (walks of one
// state each here, so generated counts them), says so in the banner, and
// without -random is bad usage.
func TestExploreWalks(t *testing.T) {
	for _, args := range [][]string{{"-model", "twophase"}, {"-protocol", "raft"}} {
		args = append(args, "-explore", "-random", "-walks", "3", "-max-depth", "1")
		code, out, errs := simrun(t, args...)
		if code != 3 || !strings.Contains(out, " generated=3 ") || !strings.Contains(out, "walks=3") {
			t.Errorf("%v: exit %d, want 3 walks of one state:\n%s%s", args, code, out, errs)
		}
	}
	code, _, errs := simrun(t, "-explore", "-model", "twophase", "-walks", "3")
	if code != 2 || !strings.Contains(errs, "-walks counts the walks of -random; add -random") {
		t.Errorf("-walks without -random: exit %d, stderr %q", code, errs)
	}
}
