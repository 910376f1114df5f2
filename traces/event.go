package traces

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/orrery-sim/orrery/scheduler"
)

// Kind says what happened at an event.
type Kind string

// The event kinds.
const (
	KindStart   Kind = "start"   // an agent started (or recovered after a restart)
	KindRecv    Kind = "recv"    // an agent handled a message
	KindTimer   Kind = "timer"   // an agent's timer fired
	KindDrop    Kind = "drop"    // a message was lost (partition, loss, receiver down)
	KindCrash   Kind = "crash"   // a box crashed: its agents lost volatile state
	KindRestart Kind = "restart" // a crashed box came back
	KindPause   Kind = "pause"   // a box stopped handling events for a while
	KindResume  Kind = "resume"  // a paused box handles its queued events
	KindFault   Kind = "fault"   // any other fault or scheduled action
	KindInvoke  Kind = "invoke"  // a client operation began
	KindReturn  Kind = "return"  // a client operation completed
	KindNote    Kind = "note"    // an agent's annotation
	KindPhase   Kind = "phase"   // the run moved to its liveness phase
	KindFail    Kind = "fail"    // a property was violated here
)

// Event is one line of a trace. Fields that do not apply to a kind are empty.
type Event struct {
	Seq     uint64   `json:"seq"`
	Time    int64    `json:"t"`
	Kind    Kind     `json:"kind"`
	Node    string   `json:"node,omitempty"`
	Peer    string   `json:"peer,omitempty"` // sender of a delivered or dropped message
	Msg     uint64   `json:"msg,omitempty"`  // message id, shared by its send and delivery
	SentAt  int64    `json:"sent,omitempty"` // virtual send time of a delivered message
	Type    string   `json:"type,omitempty"` // message type, timer name, fault, operation
	Text    string   `json:"text,omitempty"` // payload or reason, rendered
	Choices []string `json:"choices,omitempty"`
	Desc    string   `json:"desc"`
	// Summary is the node's state after this handler ran (its agent's
	// sim.Summarizer), recorded only where it changed.
	Summary string `json:"summary,omitempty"`
}

// EncodeChoice renders a choice for the Choices field: "delay:3/10".
func EncodeChoice(c scheduler.Choice) string {
	return c.Purpose.String() + ":" + strconv.FormatUint(c.Value, 10) + "/" + strconv.FormatUint(c.N, 10)
}

// DecodeChoice is the inverse of EncodeChoice.
func DecodeChoice(s string) (scheduler.Choice, error) {
	name, rest, ok1 := strings.Cut(s, ":")
	v, n, ok2 := strings.Cut(rest, "/")
	if !ok1 || !ok2 {
		return scheduler.Choice{}, fmt.Errorf("bad choice %q (want purpose:value/n)", s)
	}
	p, err := scheduler.ParsePurpose(name)
	if err != nil {
		return scheduler.Choice{}, err
	}
	value, err1 := strconv.ParseUint(v, 10, 64)
	count, err2 := strconv.ParseUint(n, 10, 64)
	if err1 != nil || err2 != nil || count == 0 || value >= count {
		return scheduler.Choice{}, fmt.Errorf("bad choice %q (want value < n)", s)
	}
	return scheduler.Choice{Purpose: p, N: count, Value: value}, nil
}

// Describe renders an event on one line, as in logs, reports and golden files.
func Describe(e *Event) string {
	var b strings.Builder
	b.WriteString(FormatTime(e.Time))
	b.WriteByte(' ')
	switch e.Kind {
	case KindRecv:
		fmt.Fprintf(&b, "%s ← %s %s", e.Node, e.Peer, e.Text)
	case KindDrop:
		fmt.Fprintf(&b, "drop %s → %s %s (%s)", e.Peer, e.Node, e.Type, e.Text)
	case KindTimer:
		fmt.Fprintf(&b, "%s timer %s", e.Node, e.Type)
	case KindStart:
		fmt.Fprintf(&b, "%s start", e.Node)
	case KindInvoke, KindReturn:
		fmt.Fprintf(&b, "%s %s %s", e.Node, e.Kind, e.Text)
	case KindNote:
		fmt.Fprintf(&b, "%s note: %s", e.Node, e.Text)
	default:
		b.WriteString(string(e.Kind))
		if e.Node != "" {
			b.WriteString(" " + e.Node)
		}
		if e.Text != "" {
			b.WriteString(": " + e.Text)
		}
	}
	return b.String()
}

// FormatTime renders virtual nanoseconds as seconds with fixed millisecond-and-below
// precision, so columns line up: 1.250000s.
func FormatTime(ns int64) string {
	neg := ""
	if ns < 0 {
		neg, ns = "-", -ns
	}
	return fmt.Sprintf("%s%d.%06ds", neg, ns/1e9, (ns%1e9)/1e3)
}

// Header is the first line of a trace file.
type Header struct {
	Format   string          `json:"format"`
	Protocol string          `json:"protocol"`
	Seed     uint64          `json:"seed"`
	Config   json.RawMessage `json:"config"`
	Options  []Option        `json:"options"`
	// Version is the Orrery build that wrote the trace (internal/version);
	// a trace written before versions were recorded has none.
	Version string `json:"version,omitempty"`
}

// Option is one derived option of a run, printed in its banner.
type Option struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// Footer is the last line of a trace file.
type Footer struct {
	Verdict  string `json:"verdict"`
	Property string `json:"property,omitempty"`
	Reason   string `json:"reason,omitempty"`
	Events   uint64 `json:"events"`
	End      int64  `json:"end"`
	Hash     string `json:"hash"`
}

// FormatVersion names the trace format written by this package.
const FormatVersion = "orrery-trace/1"
