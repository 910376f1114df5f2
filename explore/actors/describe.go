package actors

import (
	"strings"

	"github.com/orrery-sim/orrery/sim"
)

// DescribeAction implements explore.StateDescriber.
func (m *Model) DescribeAction(a Action) string {
	switch a.Kind {
	case Deliver:
		return m.names[a.Node] + " ← " + m.names[a.From] + " " + sim.Describe(a.Msg)
	case Drop:
		return "drop " + m.names[a.From] + " → " + m.names[a.Node] + " " + sim.Describe(a.Msg)
	case Fire:
		return m.names[a.Node] + " timer " + a.Timer
	case Request:
		return m.names[a.Node] + " ← client " + sim.Describe(a.Msg)
	case Crash:
		return "crash " + m.boxes[a.Index].name
	case Restart:
		return "restart " + m.boxes[a.Index].name
	}
	return "invalid action"
}

// DescribeState implements explore.StateDescriber: one line per agent (its
// sim.Summarizer summary, as simulation traces and replays print it, else the
// protocol's rendering, else sim.Describe; then its armed timers), then the
// messages in flight, the client operations and a handler's panic.
func (m *Model) DescribeState(s State) string {
	sb := m.show(s)
	defer m.put(sb)
	w := sb.sb.World()
	var b strings.Builder
	if m.timed() {
		b.WriteString("clock " + s.now.String() + "\n")
	}
	for id, n := range s.nodes {
		if id > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(m.names[id] + ": ")
		switch {
		case n.agent == nil:
			b.WriteString("down")
		case isSummarizer(n.agent):
			b.WriteString(sim.Summarize(n.agent))
		case sb.inst.Describe != nil:
			b.WriteString(sb.inst.Describe(w, sim.NodeID(id)))
		default:
			b.WriteString(sim.Describe(n.agent))
		}
		if len(n.timers) > 0 {
			names := make([]string, len(n.timers))
			for i, t := range n.timers {
				names[i] = t.name
				if m.timed() {
					names[i] += "@" + t.deadline().String()
				}
			}
			b.WriteString(" timers=[" + strings.Join(names, " ") + "]")
		}
	}
	if len(s.net) > 0 {
		b.WriteString("\nin flight:")
		for _, e := range s.net {
			b.WriteString("\n  " + m.names[e.from] + " → " + m.names[e.to] + " " + sim.Describe(e.msg))
		}
	}
	if s.history != nil {
		for _, op := range s.history.Ops {
			b.WriteString("\nop " + sim.Describe(op.Input) + " → ")
			if op.Done {
				b.WriteString(sim.Describe(op.Output))
			} else {
				b.WriteString("open")
			}
		}
	}
	if s.panic != "" {
		b.WriteString("\npanic: " + s.panic)
	}
	return b.String()
}

func isSummarizer(a sim.Agent) bool {
	_, ok := a.(sim.Summarizer)
	return ok
}
