package cluster_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"unicode"

	"github.com/google/go-cmp/cmp"
	"github.com/orrery-sim/orrery/protocols/ovid/cluster"
	"github.com/orrery-sim/orrery/scheduler"
	"github.com/orrery-sim/orrery/sim"
)

// Test types: a "sink" that records what reaches it, and a "source" that sends
// one message to its "out" route at start.
type sink struct{ got *[]string }

func (s sink) Start(*sim.Context)         {}
func (s sink) Timer(*sim.Context, string) {}
func (s sink) Receive(ctx *sim.Context, from sim.NodeID, msg sim.Message) {
	*s.got = append(*s.got, ctx.Name(ctx.Self())+" "+sim.Describe(msg))
}

type source struct{ r *cluster.Router }

func (s source) Start(ctx *sim.Context)                        { s.r.Send(ctx, "out", "hello") }
func (s source) Timer(*sim.Context, string)                    {}
func (s source) Receive(*sim.Context, sim.NodeID, sim.Message) {}

var received []string

type sourceAttrs struct {
	Loud bool `json:"loud"`
}

func init() {
	cluster.RegisterType(&cluster.Type{Name: "test-sink", Server: true, Ports: []string{"in", "alt"},
		New: func(*cluster.Agent, *cluster.Router) sim.Agent { return sink{got: &received} }})
	cluster.RegisterType(&cluster.Type{Name: "test-source", Routes: []cluster.RouteSpec{{Name: "out", Min: 1, Max: 3}, {Name: "spare"}},
		Attrs: func(raw json.RawMessage) (any, error) {
			var a sourceAttrs
			return a, cluster.DecodeAttrs(raw, &a)
		},
		New: func(_ *cluster.Agent, r *cluster.Router) sim.Agent { return source{r: r} }})
}

const good = `{"agents": [
  {"id": "a", "box": "b1", "type": "test-sink"},
  {"id": "b", "box": "b1", "type": "test-sink"},
  {"id": "src", "type": "test-source", "attrs": {"loud": true},
   "routes": {"out": [{"agent": "a", "port": "in"}, {"agent": "b", "port": "alt"}]}}]}`

func TestMulticastRouting(t *testing.T) {
	c, err := cluster.Parse([]byte(good))
	if err != nil {
		t.Fatal(err)
	}
	w := sim.New(sim.Options{Chooser: scheduler.NewSeeded(1)})
	inst, err := cluster.Setup(w, c)
	if err != nil {
		t.Fatal(err)
	}
	received = nil
	w.Run(sim.Second, 0)
	sort.Strings(received)
	want := []string{`a in: "hello"`, `b alt: "hello"`}
	if d := cmp.Diff(want, received); d != "" {
		t.Fatalf("received (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]sim.NodeID{0, 1}, inst.Servers); d != "" || inst.Tolerates != 0 {
		t.Fatalf("servers %v tolerates %d; want a and b, sharing one box, tolerating 0", inst.Servers, inst.Tolerates)
	}
	if w.BoxOf(0) != "b1" || w.BoxOf(1) != "b1" || w.BoxOf(2) != "src" {
		t.Fatalf("boxes %s %s %s", w.BoxOf(0), w.BoxOf(1), w.BoxOf(2))
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ text, want string }{
		{`{"agents": [`, "line 1, column 13: unexpected end of JSON input"},
		{`[]`, `want a JSON object with an "agents" array`},
		{`{"agents": []}`, "agents: want a non-empty array of agents"},
		{`{"agents": [], "x": 1}`, "x: unknown field (known: agents, tolerates, comment)"},
		{`{"agents": [7]}`, "agents[0]: want an object, got 7"},
		{`{"agents": [{"type": "test-sink"}]}`, "agents[0].id: missing id"},
		{`{"agents": [{"id": "a b", "type": "test-sink"}]}`, `agents[0].id: bad id "a b"`},
		{`{"agents": [{"id": "a", "type": "nope"}]}`, `agents[0].type: unknown type "nope"`},
		{`{"agents": [{"id": "a", "type": "test-sink", "colour": 1}]}`, "agents[0].colour: unknown field"},
		{`{"agents": [{"id": "a", "type": "test-sink"}, {"id": "a", "type": "test-sink"}]}`, `agents[1].id: duplicate id "a" (also agents[0])`},
		{`{"agents": [{"id": "a", "type": "test-sink", "attrs": {"x": 1}}]}`, "agents[0].attrs: type test-sink takes no attributes"},
		{`{"agents": [{"id": "s", "type": "test-source", "attrs": {"loud": 3}, "routes": {}}]}`, "agents[0].attrs.loud: want bool, got JSON number"},
		{`{"agents": [{"id": "s", "type": "test-source", "attrs": {"quiet": true}}]}`, "agents[0].attrs.quiet: unknown attribute"},
		{`{"agents": [{"id": "s", "type": "test-source"}]}`, `agents[0].routes: type test-source needs route "out" (1 to 3 target)`},
		{`{"agents": [{"id": "s", "type": "test-source", "routes": {"up": []}}]}`, `agents[0].routes["up"]: type test-source has no route "up" (routes: out, spare)`},
		{`{"agents": [{"id": "s", "type": "test-source", "routes": {"out": []}}]}`, `agents[0].routes["out"]: want 1 to 3 target(s), got 0`},
		{`{"agents": [{"id": "s", "type": "test-source", "routes": {"out": [{"agent": "kv9", "port": "in"}]}}]}`, `agents[0].routes["out"][0].agent: no agent "kv9"`},
		{`{"agents": [{"id": "a", "type": "test-sink"}, {"id": "s", "type": "test-source", "routes": {"out": [{"agent": "a", "port": "x"}]}}]}`, `agents[1].routes["out"][0].port: a (test-sink) has no port "x" (ports: in, alt)`},
		{`{"agents": [{"id": "a", "type": "test-sink"}, {"id": "s", "type": "test-source", "routes": {"out": [{"agent": "a", "port": "in"}, {"agent": "a", "port": "in"}]}}]}`, `agents[1].routes["out"][1]: target a:in twice`},
		{`{"agents": [{"id": "a", "type": "test-sink"}], "tolerates": 2}`, "tolerates: want a number of server boxes from 0 to 1, got 2"},
	}
	for _, tt := range tests {
		_, err := cluster.Parse([]byte(tt.text))
		if err == nil {
			t.Errorf("%s: parsed, want %q", tt.text, tt.want)
			continue
		}
		if got := err.Error(); len(got) < len(tt.want) || got[:len(tt.want)] != tt.want {
			t.Errorf("%s:\n got %q\nwant %q", tt.text, got, tt.want)
		}
	}
}

// FuzzParse: Parse never panics, and what it accepts it accepts again.
func FuzzParse(f *testing.F) {
	f.Add([]byte(good))
	paths, _ := filepath.Glob(filepath.Join("..", "examples", "*.json"))
	for _, p := range paths {
		if raw, err := os.ReadFile(p); err == nil {
			f.Add(raw)
		}
	}
	f.Add([]byte(`{"agents": [{"id": "a", "type": "test-sink"}], "tolerates": -1}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := cluster.Parse(data)
		if err != nil {
			if _, ok := err.(*cluster.Error); !ok {
				t.Fatalf("error of type %T: %v", err, err)
			}
			// Paths name JSON keys as written; the message itself must be
			// one printable line of bounded length.
			if msg := err.(*cluster.Error).Msg; len(msg) > 400 || strings.IndexFunc(msg, func(r rune) bool { return !unicode.IsPrint(r) }) >= 0 {
				t.Fatalf("error message not one short printable line: %.300q", msg)
			}
			return
		}
		if _, err := cluster.Parse(data); err != nil || len(c.Agents) == 0 {
			t.Fatalf("accepted once, then %v", err)
		}
	})
}
