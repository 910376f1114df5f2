package viz

import (
	"bufio"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"

	"github.com/orrery-sim/orrery/traces"
)

// mermaidEventsMax bounds the events of a diagram: a sequence diagram of
// thousands of messages renders, but nobody reads it.
const mermaidEventsMax = 400

// WriteMermaid writes t as a Mermaid sequence diagram (text for issues and
// docs): a participant per node, an arrow per delivered or dropped message
// labelled with the message, notes for timers, starts, crashes, faults,
// client operations and the state changes of the story, each line numbered
// with its event's sequence number. For a failed run it draws the causal
// slice of the violation (the events that happened before the step that
// broke the property, the step, and the violation) with the fatal step
// highlighted, and for a linearizability failure the operations its
// explanation names (Model.Named), shaded; otherwise the whole run. Either
// is cut to its last 400 events (mermaidEventsMax).
func WriteMermaid(w io.Writer, t *traces.Trace) error {
	m := Analyze(t)
	events, cut := m.mermaidEvents()
	bw := bufio.NewWriter(w)
	d := mermaid{m: m, w: bw, alias: map[string]string{}, story: map[int]bool{}, named: map[int]bool{}}
	for _, k := range m.Past {
		d.story[k] = true
	}
	for _, k := range m.Named {
		d.named[k] = true
	}
	d.header(events, cut)
	shaded := false // inside the shading of named operations' events
	for _, i := range events {
		if named := d.named[i] && i != m.Cause; named != shaded {
			fmt.Fprintln(bw, map[bool]string{true: "    rect rgb(255, 243, 205)", false: "    end"}[named])
			shaded = named
		}
		d.event(i)
	}
	if shaded {
		fmt.Fprintln(bw, "    end")
	}
	return bw.Flush()
}

// mermaidEvents are the indexes of the events drawn, in order, and how many
// were cut from the front.
func (m *Model) mermaidEvents() ([]int, int) {
	var events []int
	if m.Cause >= 0 {
		events = append(m.CausalPast(m.Cause), m.Cause, m.Fail)
		events = append(events, m.Named...)
		slices.Sort(events)
		events = slices.Compact(events)
	} else {
		for i := range m.Events {
			events = append(events, i)
		}
	}
	cut := max(0, len(events)-mermaidEventsMax)
	return events[cut:], cut
}

type mermaid struct {
	m     *Model
	w     *bufio.Writer
	alias map[string]string // node name → participant id
	order []string          // participant ids, in order
	story map[int]bool
	named map[int]bool // events of the operations a linearizability failure names
}

var plainID = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`)

func (d *mermaid) header(events []int, cut int) {
	m := d.m
	fmt.Fprintln(d.w, "sequenceDiagram")
	title := fmt.Sprintf("%s seed %d: %s", m.Protocol, m.Seed, orDash(m.Verdict))
	if m.Cause >= 0 {
		title += ", the causal slice of the violation"
	}
	if len(m.Named) > 0 {
		title += " and the operations it names"
	}
	fmt.Fprintf(d.w, "    title %s\n", text(title))
	used := map[string]bool{}
	for _, i := range events {
		e := &m.Events[i]
		for _, n := range []string{e.Node, e.Peer, d.lane(i)} {
			if n != "" {
				used[n] = true
			}
		}
	}
	for _, n := range m.Nodes {
		if !used[n] {
			continue
		}
		id := n
		if !plainID.MatchString(n) {
			id = fmt.Sprintf("p%d", len(d.order))
			fmt.Fprintf(d.w, "    participant %s as %s\n", id, text(n))
		} else {
			fmt.Fprintf(d.w, "    participant %s\n", id)
		}
		d.alias[n] = id
		d.order = append(d.order, id)
	}
	if cut > 0 {
		d.across(fmt.Sprintf("%d earlier events not drawn", cut))
	}
}

// lane is the node event i is drawn on: its own, the box a crash, restart
// or pause names, or for an operation requested from outside the world the
// node that took the request or returned it.
func (d *mermaid) lane(i int) string {
	e := &d.m.Events[i]
	switch e.Kind {
	case traces.KindCrash, traces.KindRestart, traces.KindPause, traces.KindResume:
		return e.Type
	}
	if host, ok := d.m.host[i]; ok && e.Node == "" {
		return host
	}
	return e.Node
}

func (d *mermaid) event(i int) {
	e := &d.m.Events[i]
	seq := fmt.Sprintf("[%d] ", e.Seq)
	if i == d.m.Cause {
		fmt.Fprintln(d.w, "    rect rgb(255, 215, 215)")
		defer fmt.Fprintln(d.w, "    end")
	}
	switch e.Kind {
	case traces.KindRecv, traces.KindDrop:
		from, okFrom := d.alias[e.Peer]
		to, okTo := d.alias[e.Node]
		if !okFrom || !okTo { // a client request from outside the world
			d.over(e.Node, seq+e.Text)
			break
		}
		arrow := "->>"
		label := e.Text
		if e.Kind == traces.KindDrop {
			arrow, label = "-x", e.Type+" (dropped: "+e.Text+")"
		}
		fmt.Fprintf(d.w, "    %s%s%s: %s\n", from, arrow, to, text(seq+label))
	case traces.KindTimer:
		d.over(e.Node, seq+"timer "+e.Type)
	case traces.KindFail:
		d.across(seq + "VIOLATION " + firstLine(e.Text))
	case traces.KindFault, traces.KindPhase:
		d.across(seq + e.Text)
	default:
		d.over(d.lane(i), seq+strings.TrimSpace(strings.TrimPrefix(e.Desc, traces.FormatTime(e.Time))))
	}
	if e.Summary != "" && (d.story[i] || i == d.m.Cause || d.m.Cause < 0) {
		d.over(e.Node, "⇒ "+e.Summary)
	}
}

func (d *mermaid) over(node, s string) {
	id, ok := d.alias[node]
	if !ok {
		d.across(s)
		return
	}
	fmt.Fprintf(d.w, "    Note over %s: %s\n", id, text(s))
}

func (d *mermaid) across(s string) {
	if len(d.order) == 0 {
		return
	}
	span := d.order[0]
	if len(d.order) > 1 {
		span += "," + d.order[len(d.order)-1]
	}
	fmt.Fprintf(d.w, "    Note over %s: %s\n", span, text(s))
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// text makes s safe inside a Mermaid statement: one line, and the characters
// Mermaid reads as statement ends or entity codes written as entity codes.
func text(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	return strings.NewReplacer("#", "#35;", ";", "#59;", "%", "#37;").Replace(s)
}
