package scenario_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/sim"
	"github.com/orrery-sim/orrery/simtest/scenario"
)

// echo is a tiny protocol for the runner's own scripts: a server answers a request
// with its payload and tells its peers, who count what they heard.
type echo struct {
	peers []sim.NodeID
	heard []string
}

type msgTell struct{ Text string }

func (m msgTell) Describe() string { return fmt.Sprintf("Tell{%s}", m.Text) }

func (s *echo) Start(ctx *sim.Context) {
	if v, ok := ctx.Storage().Get("heard"); ok && len(v) > 0 {
		s.heard = strings.Split(string(v), ",")
	}
}

func (s *echo) Receive(ctx *sim.Context, from sim.NodeID, msg sim.Message) {
	switch m := msg.(type) {
	case sim.Request:
		text := fmt.Sprint(m.Payload)
		s.record(ctx, text)
		ctx.Return(m.ID, "echo "+text)
		for _, p := range s.peers {
			if p != ctx.Self() {
				ctx.Send(p, msgTell{text})
			}
		}
	case msgTell:
		s.record(ctx, m.Text)
	}
}

func (s *echo) record(ctx *sim.Context, text string) {
	s.heard = append(s.heard, text)
	ctx.Storage().Put("heard", []byte(strings.Join(s.heard, ",")))
	ctx.Sync()
}

func (s *echo) Timer(*sim.Context, string) {}

func init() {
	protocols.Register(&protocols.Protocol{
		Name: "scenario-echo", Summary: "test protocol of package scenario", Nodes: 3, MinNodes: 1, MaxNodes: 9,
		Safety: sim.Second, Liveness: sim.Second,
		Setup: func(w *sim.World, o protocols.Options) (*protocols.Instance, error) {
			var servers []sim.NodeID
			for i := 0; i < o.Nodes; i++ {
				servers = append(servers, w.AddAgent(sim.AgentSpec{Name: fmt.Sprintf("n%d", i+1), New: func() sim.Agent {
					return &echo{peers: servers}
				}}))
			}
			w.AddProperty(sim.Property{Name: "short-logs", Kind: sim.Always, Check: func(w *sim.World) error {
				for _, id := range servers {
					if s, ok := w.Agent(id).(*echo); ok && len(s.heard) > 4 {
						return fmt.Errorf("%s heard %d messages", w.Name(id), len(s.heard))
					}
				}
				return nil
			}})
			return &protocols.Instance{Servers: servers, Tolerates: 1, Describe: func(w *sim.World, id sim.NodeID) string {
				return fmt.Sprintf("heard %v", w.Agent(id).(*echo).heard)
			}}, nil
		},
	})
}

var echoOptions = scenario.Options{Commands: map[string]scenario.Command{
	"heard": func(e *scenario.Env, args []string) (string, error) {
		if len(args) != 1 {
			return "", errors.New("usage: heard NODE")
		}
		id, err := e.Node(args[0])
		if err != nil {
			return "", err
		}
		s, ok := e.W.Agent(id).(*echo)
		if !ok {
			return args[0] + " is down", nil
		}
		return strings.Join(s.heard, ", "), nil
	},
}}

func TestScripts(t *testing.T) { scenario.RunDir(t, "testdata", echoOptions) }

func TestParseFormatRoundTrip(t *testing.T) {
	text := "# what it tests\n# second line\n\nstart protocol=x\n----\nok\n\n# a comment\nrun 1s\nstate\n----\nline one\nline two\n\ncheck\n----\n"
	f, err := scenario.Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	want := []scenario.Case{
		{Line: 4, Commands: []string{"start protocol=x"}, Want: "ok"},
		{Line: 8, Commands: []string{"# a comment", "run 1s", "state"}, Want: "line one\nline two"},
		{Line: 15, Commands: []string{"check"}},
	}
	if diff := cmp.Diff(want, f.Cases); diff != "" {
		t.Fatalf("(-want +got):\n%s", diff)
	}
	if got := f.String(); got != text {
		t.Fatalf("String:\n%s\nwant:\n%s", got, text)
	}
}

func TestParseErrors(t *testing.T) {
	for text, want := range map[string]string{ // lint:ordered each case is independent
		"start\n----\n":            "line 1: a scenario file opens with a '#' comment saying what it tests",
		"# x\n\nstart":             `line 3: case without a "----" line`,
		"# x\n\nstart\n\n----\nok": `line 4: blank line before "----": every case needs its expected output`,
	} {
		_, err := scenario.Parse(text)
		if err == nil || err.Error() != want {
			t.Errorf("Parse(%q): got %v, want %s", text, err, want)
		}
	}
}

// FuzzScript: any script text either fails to parse with an error or parses
// to a file that renders and parses back the same, and runs without a panic
// (a command's bad argument is an "error:" line of its output).
func FuzzScript(f *testing.F) {
	for _, name := range []string{"basics.txt", "faults.txt"} {
		if raw, err := os.ReadFile(filepath.Join("testdata", name)); err == nil {
			f.Add(string(raw))
		}
	}
	f.Add("start protocol=scenario-echo nodes=2 delay=1ms..2ms\n----\n\nrun 1m30s\n----\n")
	f.Add("start protocol=scenario-echo\n----\n\nfaults at 1s crash n1 # a; at 2s restart n1\nrun 3s\n----\n")
	f.Add("run 500\n----\n")
	f.Fuzz(func(t *testing.T, text string) {
		file, err := scenario.Parse(text)
		if err != nil {
			return
		}
		again, err := scenario.Parse(file.String())
		if err != nil {
			t.Fatalf("%q renders as %q, which does not parse: %v", text, file.String(), err)
		}
		if diff := cmp.Diff(file.String(), again.String()); diff != "" {
			t.Fatalf("render is not stable (-first +second):\n%s", diff)
		}
		scenario.Run(file, echoOptions)
	})
}
