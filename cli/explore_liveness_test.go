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

// exploreAsker asks its peer once at start and waits for an answer that,
// in the protocol registered below for these tests, never comes: the peer
// ignores the question.
type exploreAsker struct{ Answered bool }

type toyAsk struct{}

func (a *exploreAsker) Start(ctx *sim.Context) {
	if ctx.Self() == 0 {
		ctx.Send(1, toyAsk{})
	}
}
func (a *exploreAsker) Receive(*sim.Context, sim.NodeID, sim.Message) {}
func (a *exploreAsker) Timer(*sim.Context, string)                    {}

func init() {
	setup := func(w *sim.World) (*protocols.Instance, error) {
		for _, name := range []string{"a", "b"} {
			w.AddAgent(sim.AgentSpec{Name: name, New: func() sim.Agent { return &exploreAsker{} }})
		}
		w.AddProperty(sim.Property{Name: "answered", Kind: sim.Eventually, Check: func(w *sim.World) error {
			if a, ok := w.Agent(0).(*exploreAsker); ok && a.Answered {
				return nil
			}
			return errors.New("a has no answer")
		}})
		return &protocols.Instance{Servers: []sim.NodeID{0, 1}, Tolerates: 1}, nil
	}
	protocols.Register(&protocols.Protocol{Name: "explore-unanswered", Summary: "test only", Nodes: 2, MinNodes: 2, MaxNodes: 2,
		Setup: func(w *sim.World, _ protocols.Options) (*protocols.Instance, error) { return setup(w) },
		Explore: func(protocols.Options) (*protocols.ExploreSpec, error) {
			return &protocols.ExploreSpec{Setup: setup}, nil
		}})
}

// TestExploreEventuallyTraceReplays: -eventually finds the run that stops
// unanswered (exit 3), and -replay re-executes its trace to the same
// liveness verdict.
func TestExploreEventuallyTraceReplays(t *testing.T) {
	trace := filepath.Join(t.TempDir(), "unanswered.jsonl")
	var out, errs bytes.Buffer
	if code := run([]string{"-explore", "-protocol", "explore-unanswered", "-eventually", "-trace", trace}, &out, &errs); code != 3 {
		t.Fatalf("explore: exit %d, want 3\n%s%s", code, out.String(), errs.String())
	}
	for _, want := range []string{"eventually answered: violated", "--- stays in the state of step 2 for ever: no fair action is enabled ---",
		"why: answered: the run stays in step 2 for ever (no fair action is enabled): a has no answer"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("explore output lacks %q:\n%s", want, out.String())
		}
	}
	out.Reset()
	if code := run([]string{"-replay", trace}, &out, &errs); code != 3 {
		t.Fatalf("replay: exit %d, want 3\n%s%s", code, out.String(), errs.String())
	}
	if !strings.Contains(out.String(), "replay identical: 2 explored steps") || !strings.Contains(out.String(), "verdict liveness") {
		t.Errorf("replay output:\n%s", out.String())
	}
}
