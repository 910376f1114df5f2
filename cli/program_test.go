package cli

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/sim"
)

// TestProgramOfOnesOwn: a program built with Main names itself in the banner
// and in every command line it prints, and runs its first protocol when no
// -protocol is given.
func TestProgramOfOnesOwn(t *testing.T) {
	savedProgram, savedDefault, savedOwn := program, defaultProtocol, ownDefault
	t.Cleanup(func() { program, defaultProtocol, ownDefault = savedProgram, savedDefault, savedOwn })
	program, defaultProtocol, ownDefault = "mysim", "twopc", true

	code, out, errs := simrun(t, "-seed", "1", "-bug", "commit-without-all-votes")
	if code != 1 {
		t.Fatalf("exit %d, want 1 (safety):\n%s%s", code, out, errs)
	}
	for _, want := range []string{"orrery mysim\n", "  protocol     twopc\n", "reproduce:  mysim -protocol twopc -seed 1 "} {
		if !strings.Contains(out, want) {
			t.Errorf("run output lacks %q:\n%s", want, out)
		}
	}

	trace := filepath.Join(t.TempDir(), "ex.jsonl")
	code, out, errs = simrun(t, "-explore", "-bug", "commit-without-all-votes", "-trace", trace)
	if want := "; mysim -replay " + trace + ")"; code != 1 || !strings.Contains(out, want) {
		t.Errorf("explore: exit %d, output lacks %q:\n%s%s", code, want, out, errs)
	}
	// An explore error names the program and the flag at fault.
	code, _, errs = simrun(t, "-explore", "-eventually", "-dfs")
	if want := "mysim -explore: usage: -eventually needs the breadth-first search"; code != 2 || !strings.HasPrefix(errs, want) || !strings.Contains(errs, "-dfs excludes it") {
		t.Errorf("explore -eventually -dfs: exit %d, stderr %q, want it to start %q and name -dfs", code, errs, want)
	}
}

// panicky panics on its first timer.
type panicky struct{}

func (panicky) Start(ctx *sim.Context)                        { ctx.SetTimer("t", sim.Millisecond) }
func (panicky) Receive(*sim.Context, sim.NodeID, sim.Message) {}
func (panicky) Timer(*sim.Context, string)                    { panic("ack of 3") }

var panickyProtocol = &protocols.Protocol{
	Name: "panicky-test", Nodes: 1, MinNodes: 1, Safety: 50 * sim.Millisecond, Liveness: sim.Millisecond,
	Setup: func(w *sim.World, o protocols.Options) (*protocols.Instance, error) {
		id := w.AddAgent(sim.AgentSpec{Name: "n1", New: func() sim.Agent { return panicky{} }})
		return &protocols.Instance{Servers: []sim.NodeID{id}}, nil
	},
}

// TestPanicSaysWhere: a panic in an agent is reported with the function and
// file:line that raised it, in the result, in -json and on replay; -v adds
// the stack.
func TestPanicSaysWhere(t *testing.T) {
	if err := protocols.Ensure(panickyProtocol); err != nil {
		t.Fatal(err)
	}
	const site = "cli.panicky.Timer (cli/program_test.go:"
	code, out, errs := simrun(t, "-protocol", "panicky-test", "-faults", "none", "-v")
	if code != 4 || !strings.Contains(out, "n1: ack of 3\n            panicked in "+site) {
		t.Errorf("exit %d, output lacks the site %q:\n%s", code, site, out)
	}
	if !strings.Contains(errs, "goroutine ") || !strings.Contains(errs, "program_test.go:") {
		t.Errorf("-v: no stack on stderr:\n%s", errs)
	}
	_, out, _ = simrun(t, "-protocol", "panicky-test", "-faults", "none", "-json")
	if !strings.Contains(out, `"panic_at":"`+site) {
		t.Errorf("-json lacks panic_at %q:\n%s", site, out)
	}
	trace := filepath.Join(t.TempDir(), "panic.jsonl")
	simrun(t, "-protocol", "panicky-test", "-faults", "none", "-trace", trace)
	if code, out, _ = simrun(t, "-replay", trace); code != 4 || !strings.Contains(out, "\n  panicked in "+site) {
		t.Errorf("-replay: exit %d, output lacks the site %q:\n%s", code, site, out)
	}
}

var unreachedProtocol = &protocols.Protocol{
	Name: "unreached-test", Nodes: 1, MinNodes: 1, Safety: 50 * sim.Millisecond, Liveness: sim.Millisecond,
	Setup: func(w *sim.World, o protocols.Options) (*protocols.Instance, error) {
		id := w.AddAgent(sim.AgentSpec{Name: "n1", New: func() sim.Agent { return &leaky{first: sim.Millisecond} }})
		w.AddProperty(sim.Property{Name: "goal", Kind: sim.Sometimes, Check: func(*sim.World) error { return errors.New("not yet") }})
		return &protocols.Instance{Servers: []sim.NodeID{id}}, nil
	},
}

// TestCoverageOfOneRunIsSaidEverywhere: a single run whose sometimes
// property never held exits 3, and its -json summary, its determinism check
// and -shrink say why, rather than "pass".
func TestCoverageOfOneRunIsSaidEverywhere(t *testing.T) {
	if err := protocols.Ensure(unreachedProtocol); err != nil {
		t.Fatal(err)
	}
	code, out, _ := simrun(t, "-protocol", "unreached-test", "-faults", "none", "-json")
	for _, want := range []string{`"verdict":"coverage"`, `"exit_code":3`, `"property":"goal"`, `"reason":"sometimes goal never held in this run"`} {
		if code != 3 || !strings.Contains(out, want) {
			t.Errorf("-json: exit %d, output lacks %s:\n%s", code, want, out)
		}
	}
	code, out, _ = simrun(t, "-protocol", "unreached-test", "-faults", "none", "-check-determinism")
	if want := "verdict pass (but sometimes goal never held in this run)\n"; code != 3 || !strings.Contains(out, want) {
		t.Errorf("-check-determinism: exit %d, output lacks %q:\n%s", code, want, out)
	}
	code, out, _ = simrun(t, "-protocol", "unreached-test", "-faults", "none", "-shrink", "-o", filepath.Join(t.TempDir(), "min.jsonl"))
	if want := "FAIL (coverage): sometimes goal never held in this run; nothing to shrink\n"; code != 3 || !strings.Contains(out, want) {
		t.Errorf("-shrink: exit %d, output lacks %q:\n%s", code, want, out)
	}
}
