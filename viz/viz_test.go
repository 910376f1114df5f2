package viz

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/orrery-sim/orrery/harness"
	_ "github.com/orrery-sim/orrery/protocols/all"
	"github.com/orrery-sim/orrery/traces"
)

// runTrace runs cfg and reads back its trace.
func runTrace(t *testing.T, cfg harness.Config) *traces.Trace {
	t.Helper()
	var buf bytes.Buffer
	if _, err := harness.Run(cfg, harness.RunOptions{Trace: &buf}); err != nil {
		t.Fatal(err)
	}
	tr, err := traces.Read(&buf)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

// hostile is a trace whose content tries to break out of the page.
func hostile() *traces.Trace {
	payload := `</script><script>document.title="pwned"</script><img src=x onerror="document.title='pwned'">`
	events := []traces.Event{
		{Seq: 1, Kind: traces.KindStart, Node: "n1", Summary: "leader term=" + payload},
		{Seq: 2, Kind: traces.KindStart, Node: payload, Summary: payload},
		{Seq: 3, Time: 1000, Kind: traces.KindRecv, Node: "n1", Peer: payload, Msg: 1, Type: payload, Text: payload},
		{Seq: 4, Time: 1000, Kind: traces.KindFail, Type: "p", Text: payload},
	}
	for i := range events {
		events[i].Desc = traces.Describe(&events[i])
	}
	return &traces.Trace{
		Header: traces.Header{Format: traces.FormatVersion, Protocol: payload, Options: []traces.Option{{Key: payload, Value: payload}}},
		Events: events,
		Footer: &traces.Footer{Verdict: "safety", Property: payload, Reason: payload, Events: 4},
	}
}

func TestHTMLEscapesTraceContent(t *testing.T) {
	var b bytes.Buffer
	if err := WriteHTML(&b, hostile(), Options{}); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	for _, bad := range []string{`<script>document.title`, `<img src=x`, `"pwned"</script>`} {
		if strings.Contains(page, bad) {
			t.Errorf("page contains unescaped %q", bad)
		}
	}
	if n := strings.Count(page, "<script>"); n != 2 {
		t.Errorf("%d script elements, want 2 (data and code)", n)
	}
	// The same payload inside a linearizability explanation, which the page
	// reads back from the reason and embeds.
	tr := hostile()
	payload := tr.Header.Protocol
	tr.Footer.Property = "linearizability"
	tr.Footer.Reason = "1 operations: verdict: illegal\npartition " + payload + ": illegal (1 ops)\n" +
		"  longest linearizable prefix: 0 ops, from initial state " + payload + "\n  cannot place next:\n" +
		"   !  #0 client 1 [1,2] " + payload + ": not allowed in state " + payload
	b.Reset()
	if err := WriteHTML(&b, tr, Options{}); err != nil {
		t.Fatal(err)
	}
	page = b.String()
	for _, bad := range []string{`<script>document.title`, `<img src=x`, `"pwned"</script>`} {
		if strings.Contains(page, bad) {
			t.Errorf("page with an explanation contains unescaped %q", bad)
		}
	}
	// Inside srcdoc the embedded page's own escapes are escaped once more:
	// "&lt;" there would be a "<" in the embedded document.
	_, srcdoc, ok := strings.Cut(page, `srcdoc="`)
	srcdoc, _, _ = strings.Cut(srcdoc, `"`)
	if !ok || !strings.Contains(srcdoc, "&amp;lt;script&amp;gt;document.title") || strings.Contains(srcdoc, "&lt;script") {
		t.Errorf("the explanation is not embedded as escaped text:\n%.2000s", srcdoc)
	}
	if dir := os.Getenv("ORRERY_VIZ_OUT"); dir != "" {
		os.WriteFile(filepath.Join(dir, "hostile.html"), b.Bytes(), 0o644)
	}
}

// TestAnalyzeCounts: every delivery and drop is an arrow, every invocation an
// operation, and senders are found for deliveries.
func TestAnalyzeCounts(t *testing.T) {
	tr := runTrace(t, harness.Config{Protocol: "chat", Seed: 15, Bug: "no-hold-back", Faults: "swarm"})
	m := Analyze(tr)
	var want, got struct{ Recv, Drop, Invoke, Fail, NoSender int }
	for _, e := range tr.Events {
		switch e.Kind {
		case traces.KindRecv:
			want.Recv++
		case traces.KindDrop:
			want.Drop++
		case traces.KindInvoke:
			want.Invoke++
		case traces.KindFail:
			want.Fail++
		}
	}
	for _, a := range m.Arrows {
		if a.Drop {
			got.Drop++
		} else {
			got.Recv++
			if a.From < 0 {
				got.NoSender++
			}
		}
	}
	got.Invoke = len(m.Ops)
	if m.Fail >= 0 {
		got.Fail = 1
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("(-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"n1", "n2", "n3", "c1", "c2"}, m.Nodes); diff != "" {
		t.Fatalf("lanes (-want +got):\n%s", diff)
	}
}

// TestAnalyzeSpans: a crash and restart make one span, a partition healed by
// the liveness phase another, a pause left open runs to the end.
func TestAnalyzeSpans(t *testing.T) {
	tr := runTrace(t, harness.Config{Protocol: "chat", Seed: 1, Safety: 3e9, Liveness: 2e9,
		Faults: "at 100ms crash n2; at 200ms restart n2; at 300ms partition n1 | n3; at 400ms pause n3"})
	m := Analyze(tr)
	type span struct {
		Node, Kind string
		Open       bool
	}
	var got []span
	for _, s := range m.Spans {
		got = append(got, span{s.Node, s.Kind, s.To < 0})
	}
	want := []span{{"n2", "crash", false}, {"", "network", false}, {"n3", "pause", false}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("(-want +got):\n%s", diff)
	}
}

// TestPerfetto: the JSON parses, with a track per node, a slice per handler
// and a flow start and end per delivery whose sender is known.
func TestPerfetto(t *testing.T) {
	tr := runTrace(t, harness.Config{Protocol: "chat", Seed: 15, Bug: "no-hold-back", Faults: "swarm"})
	var b bytes.Buffer
	if err := WritePerfetto(&b, tr); err != nil {
		t.Fatal(err)
	}
	var f struct {
		TraceEvents []struct {
			Name string   `json:"name"`
			Ph   string   `json:"ph"`
			Ts   float64  `json:"ts"`
			Dur  *float64 `json:"dur"`
			Tid  int      `json:"tid"`
		} `json:"traceEvents"`
	}
	if err := json.Unmarshal(b.Bytes(), &f); err != nil {
		t.Fatal(err)
	}
	type counts struct{ Threads, Slices, FlowStarts, FlowEnds, OpBegins, OpEnds int }
	var got, want counts
	for _, e := range f.TraceEvents {
		switch {
		case e.Ph == "M" && e.Name == "thread_name":
			got.Threads++
		case e.Ph == "X":
			got.Slices++
		case e.Ph == "s":
			got.FlowStarts++
		case e.Ph == "f":
			got.FlowEnds++
		case e.Ph == "b":
			got.OpBegins++
		case e.Ph == "e":
			got.OpEnds++
		}
	}
	m := Analyze(tr)
	want.Threads = len(m.Nodes)
	for _, e := range tr.Events {
		switch e.Kind {
		case traces.KindStart, traces.KindRecv, traces.KindTimer:
			want.Slices++
		}
		if e.Kind == traces.KindRecv {
			want.FlowStarts++
			want.FlowEnds++
		}
		if e.Kind == traces.KindInvoke {
			want.OpBegins++
			want.OpEnds++
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("(-want +got):\n%s", diff)
	}
	// Slices on one track never overlap.
	end := map[int]float64{}
	for _, e := range f.TraceEvents {
		if e.Ph == "X" {
			if e.Ts < end[e.Tid] {
				t.Fatalf("slice %q at %v overlaps the previous one on track %d", e.Name, e.Ts, e.Tid)
			}
			end[e.Tid] = e.Ts + *e.Dur
		}
	}
}

func TestShortLabel(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"MsgApp t2 prev=0/0 commit=1", "MsgApp t2 prev=0/0 commit=1"},
		{"MsgApp t2 prev=0/0 commit=1 round=4 [1/1 noop]", "MsgApp t2 prev=0/0 commit=1 rou…"},
		{"a\n  b", "a b"},
		{"ééééééééééééééééééééééééééééééééééé", "ééééééééééééééééééééééééééééééé…"},
	} {
		if diff := cmp.Diff(c.want, ShortLabel(c.in)); diff != "" {
			t.Errorf("ShortLabel(%q) (-want +got):\n%s", c.in, diff)
		}
	}
}

// TestAnalyzeLabelsAndTypes: every arrow is labelled with its message's
// rendering (shortened), and the legend's types are the arrows' types, sorted.
func TestAnalyzeLabelsAndTypes(t *testing.T) {
	tr := runTrace(t, harness.Config{Protocol: "raft", Seed: 3, Faults: "swarm", Safety: 2e9, Liveness: 2e9})
	m := Analyze(tr)
	seen := map[string]bool{}
	var want []string
	for _, a := range m.Arrows {
		e := &m.Events[a.To]
		label := ShortLabel(e.Text)
		if a.Drop {
			label = ShortLabel(e.Type + " (" + e.Text + ")")
		}
		if a.Label != label || a.Label == "" {
			t.Fatalf("arrow to event %d labelled %q, want %q", e.Seq, a.Label, label)
		}
		if !seen[a.Type] {
			seen[a.Type] = true
			want = append(want, a.Type)
		}
	}
	sort.Strings(want)
	if diff := cmp.Diff(want, m.Types); diff != "" || len(want) < 4 {
		t.Fatalf("types (-want +got):\n%s", diff)
	}
}

// TestAnalyzeStates: each node's state track is its recorded summaries in
// order, each stretch ending at the next one or a crash, with leader and term
// marks where role and term change.
func TestAnalyzeStates(t *testing.T) {
	tr := runTrace(t, harness.Config{Protocol: "raft", Seed: 3, Faults: "swarm", Safety: 2e9, Liveness: 2e9})
	m := Analyze(tr)
	type change struct{ Leads, NewEra bool }
	var want, got []change
	role, era := map[string]string{}, map[string]string{}
	for _, e := range tr.Events {
		if e.Summary == "" {
			continue
		}
		fields := strings.Fields(e.Summary)
		term := fields[1] // servers: "role term=N commit=N ..."; clients have no term
		if !strings.HasPrefix(term, "term=") {
			term = ""
		}
		want = append(want, change{Leads: fields[0] == "leader" && role[e.Node] != "leader",
			NewEra: term != "" && era[e.Node] != "" && era[e.Node] != term})
		role[e.Node] = fields[0]
		if term != "" {
			era[e.Node] = term
		}
	}
	leads := 0
	for k, s := range m.States {
		if s.Text != m.Events[s.From].Summary || (s.To >= 0 && s.To <= s.From) {
			t.Fatalf("state %d: %+v", k, s)
		}
		got = append(got, change{s.Leads, s.NewEra})
		if s.Leads {
			leads++
		}
	}
	if diff := cmp.Diff(want, got); diff != "" || leads == 0 {
		t.Fatalf("marks (-want +got), %d leads:\n%s", leads, diff)
	}
}

// TestHTMLEmbedsLinearizabilityView: a linearizability failure's page embeds
// the checker's own view, read back from the trace, with clients named as in
// the trace.
func TestHTMLEmbedsLinearizabilityView(t *testing.T) {
	tr := runTrace(t, harness.Config{Protocol: "abd", Seed: 83, Bug: "skip-write-back", Faults: "swarm"})
	if tr.Footer == nil || tr.Footer.Property != "linearizability" {
		t.Fatalf("want a linearizability failure, got %+v", tr.Footer)
	}
	var b bytes.Buffer
	if err := WriteHTML(&b, tr, Options{}); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	for _, want := range []string{`<iframe class="lin" sandbox=""`, "Around the failure", "op deadline", "&gt;c1&lt;/div&gt;"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}
