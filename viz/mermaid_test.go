package viz

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/orrery-sim/orrery/harness"
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
