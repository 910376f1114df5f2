package ovid

import (
	"encoding/json"
	"strconv"

	"github.com/orrery-sim/orrery/internal/assert"
	"github.com/orrery-sim/orrery/protocols/ovid/cluster"
	"github.com/orrery-sim/orrery/sim"
)

// Line is a line of input a tty sends.
type Line struct{ Text string }

// Describe implements sim.Describer.
func (l Line) Describe() string { return "Line{" + strconv.Quote(l.Text) + "}" }

// scriptLinesMax bounds a tty's script.
const scriptLinesMax = 10_000

type ttyAttrs struct {
	Script []scriptLine `json:"script"`
}

type scriptLine struct {
	At   string `json:"at"`   // virtual time, e.g. "1.5s"
	Line string `json:"line"` // sent as is to the "out" route
	at   sim.Time
}

func decodeTTYAttrs(raw json.RawMessage) (any, error) {
	var a ttyAttrs
	if err := cluster.DecodeAttrs(raw, &a); err != nil {
		return nil, err
	}
	if len(a.Script) > scriptLinesMax {
		return nil, cluster.Errorf(".script", "%d lines exceed %d", len(a.Script), scriptLinesMax)
	}
	var last sim.Time
	for i := range a.Script {
		l := &a.Script[i]
		path := cluster.Index(".script", i)
		at, err := sim.ParseDuration(l.At)
		if err != nil || at < 0 {
			return nil, cluster.Errorf(path+".at", "bad time %q (want e.g. 250ms, 1.5s)", l.At)
		}
		if at < last {
			return nil, cluster.Errorf(path+".at", "%v is before the previous line's %v", at, last)
		}
		if l.Line == "" {
			return nil, cluster.Errorf(path+".line", "empty line")
		}
		l.at, last = at, at
	}
	return a, nil
}

// TTY replays its script: each line at its virtual time (by its own clock), to
// every target of its "out" route. Its place in the script is durable, so a tty
// on a box that crashes resumes where it was instead of replaying everything.
type TTY struct {
	router *cluster.Router
	script []scriptLine
	next   int
}

func newTTY(a *cluster.Agent, r *cluster.Router) sim.Agent {
	return &TTY{router: r, script: a.Attrs.(ttyAttrs).Script}
}

// Start resumes the script.
func (t *TTY) Start(ctx *sim.Context) {
	if raw, ok := ctx.Storage().Get("next"); ok {
		t.next, _ = strconv.Atoi(string(raw))
	}
	t.arm(ctx)
}

func (t *TTY) arm(ctx *sim.Context) {
	if t.next < len(t.script) {
		ctx.SetTimer("line", max(0, t.script[t.next].at-ctx.Now()))
	}
}

// Receive implements sim.Agent: a tty takes no input.
func (t *TTY) Receive(_ *sim.Context, _ sim.NodeID, msg sim.Message) {
	assert.Fail("tty: unexpected %T", msg)
}

// Timer sends every line that is due.
func (t *TTY) Timer(ctx *sim.Context, name string) {
	assert.That(name == "line", "tty: unknown timer %q", name)
	for t.next < len(t.script) && t.script[t.next].at <= ctx.Now() {
		t.router.Send(ctx, "out", Line{Text: t.script[t.next].Line})
		t.next++
	}
	ctx.Storage().Put("next", []byte(strconv.Itoa(t.next)))
	ctx.Sync()
	t.arm(ctx)
}

// Describe renders the tty's place in its script.
func (t *TTY) Describe() string {
	return "line " + strconv.Itoa(t.next) + " of " + strconv.Itoa(len(t.script))
}
