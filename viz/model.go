package viz

import (
	"sort"
	"strings"

	"github.com/orrery-sim/orrery/traces"
)

// Model is what the views draw, derived from a trace alone. Indexes refer to
// Events.
type Model struct {
	Protocol string          `json:"protocol"`
	Seed     uint64          `json:"seed"`
	Options  []traces.Option `json:"options"`
	Verdict  string          `json:"verdict"`
	Property string          `json:"property,omitempty"`
	Reason   string          `json:"reason,omitempty"`
	Nodes    []string        `json:"nodes"` // lanes, in order of first appearance
	Events   []traces.Event  `json:"events"`
	Arrows   []Arrow         `json:"arrows"`
	Spans    []Span          `json:"spans"`
	Ops      []Op            `json:"ops"`
	States   []State         `json:"states"`
	Types    []string        `json:"types"` // message types, sorted; colours and the legend follow this order
	Fail     int             `json:"fail"`  // the fail event, -1 if none
	// Preds are each event's immediate causal predecessors (happens-before:
	// its node's previous event, the handler that sent its message).
	Preds [][]int `json:"preds"`
	// Cause is the step after which the property failed (the fail event's
	// predecessor; for a linearizability failure, see Named), -1 if none;
	// Past is what led to it, most recent first, trimmed to what changed
	// state (see storyOf).
	Cause int   `json:"cause"`
	Past  []int `json:"past"`
	// Named are, for a linearizability failure, the events of the operations
	// its explanation names (the longest linearizable prefix and what cannot
	// follow it): each one's invocation, return and the events between them
	// that served it, in trace order. Cause is then the return of the
	// operation the prefix cannot get past, when there is one.
	Named []int `json:"named,omitempty"`
	// host is the lane of an invocation or return that has none of its own
	// (an operation requested from outside the world): the node its request
	// went to, or that returned it.
	host map[int]string
}

// Arrow is a message: from the event whose handler sent it to its delivery
// or drop.
type Arrow struct {
	From int    `json:"from"` // sending event, -1 if not in the trace
	To   int    `json:"to"`   // recv or drop event
	Type string `json:"type"` // message type
	// Label is the message's one-line rendering, shortened to fit on the
	// diagram (a drop adds why it was lost).
	Label string `json:"label"`
	Drop  bool   `json:"drop,omitempty"`
}

// labelRunesMax bounds an arrow label; the full text is in the event.
const labelRunesMax = 32

// ShortLabel shortens a message's rendering to at most labelRunesMax runes.
func ShortLabel(text string) string {
	text = strings.Join(strings.Fields(text), " ")
	r := []rune(text)
	if len(r) <= labelRunesMax {
		return text
	}
	return string(r[:labelRunesMax-1]) + "…"
}

func arrowLabel(e *traces.Event) string {
	if e.Kind == traces.KindDrop {
		return ShortLabel(e.Type + " (" + e.Text + ")")
	}
	return ShortLabel(e.Text)
}

// Span is a stretch of time in which a node (or, with Node "", the network)
// is faulted: from the event that began it to the one that ended it.
type Span struct {
	Node  string `json:"node,omitempty"`
	Kind  string `json:"kind"` // crash, pause, network
	From  int    `json:"from"`
	To    int    `json:"to"` // -1: until the end of the trace
	Label string `json:"label"`
}

// State is a stretch of a node's state track: its agent's summary from the
// event that recorded it to the next change, the crash of its box, or the end
// (To -1).
type State struct {
	Node string `json:"node"`
	From int    `json:"from"`
	To   int    `json:"to"`
	Text string `json:"text"`
	Role string `json:"role"` // the summary's first word
	// Era is the summary's term, ballot or epoch ("term=2"), if it has one.
	Era string `json:"era,omitempty"`
	// Leads marks the node becoming leader here; NewEra a change of era.
	Leads  bool `json:"leads,omitempty"`
	NewEra bool `json:"newEra,omitempty"`
}

// eraKeys name the counters whose change the state track marks.
var eraKeys = []string{"term=", "ballot=", "epoch="}

func parseSummary(text string) (role, era string) {
	fields := strings.Fields(text)
	if len(fields) == 0 {
		return "", ""
	}
	for _, f := range fields[1:] {
		for _, k := range eraKeys {
			if strings.HasPrefix(f, k) {
				return fields[0], f
			}
		}
	}
	return fields[0], ""
}

// Op is a client operation: invocation to return, or open (To -1).
type Op struct {
	Client string `json:"client"`
	From   int    `json:"from"`
	To     int    `json:"to"`
	Text   string `json:"text"`
}

// networkFaults are the fault kinds that cut or slow links until a mend or a
// heal (or the liveness phase) undoes them.
var networkFaults = map[string]bool{"isolate": true, "split": true, "halves": true, "bridge": true,
	"partition": true, "cut": true, "clog": true, "spike": true, "drop": true, "dup": true, "jitter": true}

// Analyze derives the model of t.
func Analyze(t *traces.Trace) *Model {
	m := &Model{Protocol: t.Header.Protocol, Seed: t.Header.Seed, Options: t.Header.Options, Events: t.Events,
		Fail: -1, Nodes: []string{}, Arrows: []Arrow{}, Spans: []Span{}, Ops: []Op{}, Types: []string{}, States: []State{}}
	if f := t.Footer; f != nil {
		m.Verdict, m.Property, m.Reason = f.Verdict, f.Property, f.Reason
	}
	a := analyzer{m: m, lane: map[string]bool{}, last: map[string][]int{}, down: map[string]int{},
		paused: map[string]int{}, open: map[string][]int{}, types: map[string]bool{},
		state: map[string]int{}, era: map[string]string{}, role: map[string]string{}}
	for i := range t.Events {
		a.event(i, &t.Events[i])
	}
	a.finish()
	sort.Strings(m.Types)
	m.causality()
	m.explained()
	return m
}

// analyzer is the state of one pass over the events.
type analyzer struct {
	m       *Model
	lane    map[string]bool
	last    map[string][]int // events of each node so far
	down    map[string]int   // crash event of a node now down
	paused  map[string]int
	network []int             // network faults not yet undone
	open    map[string][]int  // open operations of each client (indexes into Ops)
	types   map[string]bool   // message types seen
	state   map[string]int    // each node's current state (index into States), if any
	era     map[string]string // each node's last era
	role    map[string]string // each node's last role
}

func (a *analyzer) event(i int, e *traces.Event) {
	m := a.m
	if e.Node != "" && !a.lane[e.Node] {
		a.lane[e.Node] = true
		m.Nodes = append(m.Nodes, e.Node)
	}
	switch e.Kind {
	case traces.KindRecv, traces.KindDrop:
		m.Arrows = append(m.Arrows, Arrow{From: a.sender(e), To: i, Type: e.Type, Label: arrowLabel(e), Drop: e.Kind == traces.KindDrop})
		if !a.types[e.Type] {
			a.types[e.Type] = true
			m.Types = append(m.Types, e.Type)
		}
	case traces.KindCrash:
		a.down[e.Type] = i // boxes crash, pause and restart; Type names the box
		a.endState(e.Type, i)
	case traces.KindRestart:
		a.endSpan(a.down, e.Type, "crash", i)
	case traces.KindPause:
		a.paused[e.Type] = i
	case traces.KindResume:
		a.endSpan(a.paused, e.Type, "pause", i)
	case traces.KindFault:
		a.fault(i, e)
	case traces.KindPhase:
		a.heal(i)
	case traces.KindInvoke:
		a.open[e.Node] = append(a.open[e.Node], len(m.Ops))
		m.Ops = append(m.Ops, Op{Client: e.Node, From: i, To: -1, Text: e.Text})
	case traces.KindReturn:
		a.complete(i, e)
	case traces.KindFail:
		m.Fail = i
	}
	if e.Node != "" {
		a.last[e.Node] = append(a.last[e.Node], i)
	}
	if e.Summary != "" {
		a.summary(i, e)
	}
}

// summary starts a new stretch of e.Node's state track.
func (a *analyzer) summary(i int, e *traces.Event) {
	a.endState(e.Node, i)
	role, era := parseSummary(e.Summary)
	s := State{Node: e.Node, From: i, To: -1, Text: e.Summary, Role: role, Era: era}
	prev, had := a.era[e.Node]
	s.NewEra = era != "" && had && prev != era
	if era != "" {
		a.era[e.Node] = era
	}
	s.Leads = role == "leader" && a.role[e.Node] != "leader"
	a.role[e.Node] = role
	a.state[e.Node] = len(a.m.States)
	a.m.States = append(a.m.States, s)
}

// endState ends node's current stretch at event i (a crash or a new summary).
func (a *analyzer) endState(node string, i int) {
	if k, ok := a.state[node]; ok {
		a.m.States[k].To = i
		delete(a.state, node)
	}
}

// sender finds the event whose handler sent e's message: the last event of the
// sending node at the send time (handlers run atomically at one instant), or
// failing that the last one before it.
func (a *analyzer) sender(e *traces.Event) int {
	events := a.last[e.Peer]
	for k := len(events) - 1; k >= 0; k-- {
		if s := &a.m.Events[events[k]]; s.Time <= e.SentAt {
			return events[k]
		}
	}
	return -1
}

func (a *analyzer) endSpan(open map[string]int, node, kind string, i int) {
	if from, ok := open[node]; ok {
		a.m.Spans = append(a.m.Spans, Span{Node: node, Kind: kind, From: from, To: i, Label: a.m.Events[from].Desc})
		delete(open, node)
	}
}

func (a *analyzer) fault(i int, e *traces.Event) {
	switch {
	case networkFaults[e.Type]:
		a.network = append(a.network, i)
	case e.Type == "mend":
		a.closeNetwork(i, func(k int) bool { return a.m.Events[k].Type != "clog" && a.m.Events[k].Type != "spike" })
	case e.Type == "heal":
		a.heal(i)
	}
}

// heal ends every network fault (a heal, or the liveness phase).
func (a *analyzer) heal(i int) { a.closeNetwork(i, func(int) bool { return true }) }

func (a *analyzer) closeNetwork(i int, ends func(int) bool) {
	kept := a.network[:0]
	for _, k := range a.network {
		if ends(k) {
			a.m.Spans = append(a.m.Spans, Span{Kind: "network", From: k, To: i, Label: a.m.Events[k].Text})
		} else {
			kept = append(kept, k)
		}
	}
	a.network = kept
}

// complete pairs a return with the client's open operation whose input its
// text mentions, else the oldest open one (traces carry no operation ids).
func (a *analyzer) complete(i int, e *traces.Event) {
	open := a.open[e.Node]
	if len(open) == 0 {
		return
	}
	pick := 0
	for k, op := range open {
		if in := a.m.Ops[op].Text; in != "" && strings.Contains(e.Text, in) {
			pick = k
			break
		}
	}
	a.m.Ops[open[pick]].To = i
	a.m.Ops[open[pick]].Text += " → " + e.Text
	a.open[e.Node] = append(open[:pick], open[pick+1:]...)
}

// finish leaves what is still down, paused or cut open to the end, in event
// order (deterministic output).
func (a *analyzer) finish() {
	for i := range a.m.Events {
		e := &a.m.Events[i]
		if from, ok := a.down[e.Type]; ok && from == i && e.Kind == traces.KindCrash {
			a.m.Spans = append(a.m.Spans, Span{Node: e.Type, Kind: "crash", From: i, To: -1, Label: e.Desc})
		}
		if from, ok := a.paused[e.Type]; ok && from == i && e.Kind == traces.KindPause {
			a.m.Spans = append(a.m.Spans, Span{Node: e.Type, Kind: "pause", From: i, To: -1, Label: e.Desc})
		}
	}
	for _, k := range a.network {
		a.m.Spans = append(a.m.Spans, Span{Kind: "network", From: k, To: -1, Label: a.m.Events[k].Text})
	}
}
