package viz

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/orrery-sim/orrery/harness"
	"github.com/orrery-sim/orrery/traces"
)

// TestMermaidCausalSlice: a failed run is drawn as the causal slice of its
// violation: every numbered line is the failing step, an event that happened
// before it, or the violation, and the last mermaidEventsMax of those are
// there; the failing step is highlighted.
func TestMermaidCausalSlice(t *testing.T) {
	tr := runTrace(t, harness.Config{Protocol: "chat", Seed: 15, Bug: "no-hold-back", Faults: "swarm"})
	var b bytes.Buffer
	if err := WriteMermaid(&b, tr); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	m := Analyze(tr)
	slice := append(m.CausalPast(m.Cause), m.Cause, m.Fail)
	if len(slice) <= mermaidEventsMax {
		t.Fatalf("want a slice longer than the %d events drawn, got %d", mermaidEventsMax, len(slice))
	}
	want := map[uint64]bool{}
	for _, k := range slice[len(slice)-mermaidEventsMax:] {
		want[m.Events[k].Seq] = true
	}
	got := map[uint64]bool{}
	for _, s := range regexp.MustCompile(`: \[(\d+)\] `).FindAllStringSubmatch(out, -1) {
		n, _ := strconv.ParseUint(s[1], 10, 64)
		if !want[n] {
			t.Fatalf("event %d is not in the causal slice:\n%s", n, out)
		}
		got[n] = true
	}
	if len(got) != len(want) || !strings.HasPrefix(out, "sequenceDiagram\n") ||
		!strings.Contains(out, "    rect rgb(255, 215, 215)\n    ") || !strings.Contains(out, " earlier events not drawn\n") || !strings.Contains(out, "VIOLATION fifo-per-origin") {
		t.Fatalf("%d of %d events drawn:\n%s", len(got), len(want), out)
	}
}

// TestMermaidEscapes: trace content stays inside its statement: no line
// breaks, no statement separators, participants named by alias.
func TestMermaidEscapes(t *testing.T) {
	var b bytes.Buffer
	if err := WriteMermaid(&b, hostile()); err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSpace(b.String()), "\n")[1:] {
		if !regexp.MustCompile(`^    (title|participant|Note over|rect|end|[A-Za-z][A-Za-z0-9_]*(->>|-x))`).MatchString(line) || strings.Contains(line, ";") && !strings.Contains(line, "#59;") {
			t.Errorf("line escapes its statement: %q", line)
		}
	}
	if !strings.Contains(b.String(), "participant p1 as </script>") {
		t.Errorf("payload node not aliased:\n%s", b.String())
	}
}

// TestMermaidDrawsExplainedOperations: a linearizability failure is drawn
// with the operations its explanation names, each with its request, the step
// that answered and its return, on the lanes of the clients and servers
// involved; the highlighted step is the return of the operation that cannot
// be placed, not whatever step came last. An operation requested from
// outside the world (under exploration, with logical times) is drawn on the
// lane of the server it went to.
func TestMermaidDrawsExplainedOperations(t *testing.T) {
	ms := func(n int64) int64 { return n * 1_000_000 }
	simulated := []traces.Event{
		{Kind: traces.KindStart, Node: "n1"},
		{Kind: traces.KindStart, Node: "n2"},
		{Kind: traces.KindStart, Node: "c1"},
		{Kind: traces.KindStart, Node: "c2"},
		{Time: ms(10), Kind: traces.KindTimer, Node: "c2", Type: "issue"},
		{Time: ms(10), Kind: traces.KindInvoke, Node: "c2", Text: `put a="1"`},
		{Time: ms(11), Kind: traces.KindRecv, Node: "n1", Peer: "c2", Msg: 1, SentAt: ms(10), Type: "Request", Text: `Request#0 put a="1"`},
		{Time: ms(12), Kind: traces.KindRecv, Node: "c2", Peer: "n1", Msg: 2, SentAt: ms(11), Type: "Response", Text: "Response#0 ok"},
		{Time: ms(12), Kind: traces.KindReturn, Node: "c2", Text: "ok"},
		{Time: ms(20), Kind: traces.KindTimer, Node: "c1", Type: "issue"},
		{Time: ms(20), Kind: traces.KindInvoke, Node: "c1", Text: "get a"},
		{Time: ms(21), Kind: traces.KindRecv, Node: "n2", Peer: "c1", Msg: 3, SentAt: ms(20), Type: "Request", Text: "Request#1 get a"},
		{Time: ms(22), Kind: traces.KindRecv, Node: "c1", Peer: "n2", Msg: 4, SentAt: ms(21), Type: "Response", Text: "Response#1 none"},
		{Time: ms(22), Kind: traces.KindReturn, Node: "c1", Text: "none"},
		{Time: ms(30), Kind: traces.KindTimer, Node: "c1", Type: "issue"}, // the run's last step, unrelated
		{Time: ms(30), Kind: traces.KindFail, Type: "linearizability"},
	}
	explored := []traces.Event{
		{Kind: traces.KindStart, Node: "n1"},
		{Kind: traces.KindStart, Node: "n2"},
		{Time: ms(1), Kind: traces.KindInvoke, Text: `put a="1"`},
		{Time: ms(1), Kind: traces.KindRecv, Node: "n1", Type: "Request", Text: `Request#0 put a="1"`},
		{Time: ms(2), Kind: traces.KindInvoke, Text: "get a"},
		{Time: ms(2), Kind: traces.KindRecv, Node: "n1", Type: "Request", Text: "Request#1 get a"},
		{Time: ms(2), Kind: traces.KindReturn, Text: `found "1"`},
		{Time: ms(3), Kind: traces.KindInvoke, Text: "get a"},
		{Time: ms(3), Kind: traces.KindRecv, Node: "n2", Type: "Request", Text: "Request#2 get a"},
		{Time: ms(3), Kind: traces.KindReturn, Text: "none"},
		{Time: ms(3), Kind: traces.KindFail, Type: "linearizability"},
	}
	type drawn struct {
		Cause        uint64
		Named        []uint64
		Participants []string
		Lines        []string // the lines drawing the operations' first and last events
	}
	tests := []struct {
		name   string
		events []traces.Event
		reason string
		first  uint64 // the first operation's invocation
		last   uint64 // the last operation's return
		want   drawn
	}{
		{
			name:   "simulation",
			events: simulated,
			reason: `2 operations: verdict: illegal
key "a": illegal (2 ops)
  longest linearizable prefix: 1 ops, from initial state {}
     1. #0 c2 [0.01s,0.012s] put("a", "1")  => {"a": "1"}
  cannot place next:
   !  #1 c1 [0.02s,0.022s] get("a") -> "": not allowed in state {"a": "1"}; it returned, so it must take effect before anything invoked later`,
			first: 6, last: 14,
			want: drawn{Cause: 14, Named: []uint64{6, 7, 8, 9, 11, 12, 13, 14}, Participants: []string{"n1", "n2", "c1", "c2"},
				Lines: []string{`    Note over c2: [6] c2 invoke put a="1"`, "    Note over c1: [14] c1 return none"}},
		},
		{
			name:   "exploration",
			events: explored,
			reason: `3 operations (no clock under exploration: tN is the history's N-th invocation or return): verdict: illegal
key "a": illegal (3 ops)
  longest linearizable prefix: 2 ops, from initial state {}
     1. #0 client→n1 [t1,open] put("a", "1")  => {"a": "1"}
     2. #1 client→n1 [t2,t3] get("a") -> "1"  => {"a": "1"}
  cannot place next:
   !  #2 client→n2 [t4,t5] get("a") -> "": not allowed in state {"a": "1"}; it returned, so it must take effect before anything invoked later`,
			first: 3, last: 10,
			want: drawn{Cause: 10, Named: []uint64{3, 4, 5, 6, 7, 8, 9, 10}, Participants: []string{"n1", "n2"},
				Lines: []string{`    Note over n1: [3] invoke put a="1"`, "    Note over n2: [10] return none"}},
		},
	}
	for _, tc := range tests {
		events := slices.Clone(tc.events)
		for i := range events {
			events[i].Seq = uint64(i + 1)
			if events[i].Kind == traces.KindFail {
				events[i].Text = "linearizability: " + tc.reason
			}
			events[i].Desc = traces.Describe(&events[i])
		}
		tr := &traces.Trace{Header: traces.Header{Format: traces.FormatVersion, Protocol: "kv"}, Events: events,
			Footer: &traces.Footer{Verdict: "safety", Property: "linearizability", Reason: tc.reason, Events: uint64(len(events))}}
		m := Analyze(tr)
		var b bytes.Buffer
		if err := WriteMermaid(&b, tr); err != nil {
			t.Fatal(err)
		}
		got := drawn{Cause: m.Events[m.Cause].Seq}
		for _, k := range m.Named {
			got.Named = append(got.Named, m.Events[k].Seq)
		}
		for _, line := range strings.Split(b.String(), "\n") {
			if name, ok := strings.CutPrefix(line, "    participant "); ok {
				got.Participants = append(got.Participants, name)
			}
			if strings.Contains(line, fmt.Sprintf(": [%d] ", tc.first)) || strings.Contains(line, fmt.Sprintf(": [%d] ", tc.last)) {
				got.Lines = append(got.Lines, line)
			}
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s\n%s", tc.name, diff, b.String())
		}
	}
}
