package traces

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/orrery-sim/orrery/scheduler"
)

func sample() (*Header, []Event, *Footer) {
	h := &Header{Format: FormatVersion, Protocol: "chat", Seed: 42, Config: []byte(`{"nodes":3}`), Options: []Option{{"nodes", "3"}}}
	events := []Event{
		{Seq: 1, Time: 0, Kind: KindStart, Node: "n1", Choices: []string{"delay:3/10"}},
		{Seq: 2, Time: 1_500_000, Kind: KindRecv, Node: "n2", Peer: "n1", Msg: 1, Type: "MsgPing", Text: "MsgPing{}"},
	}
	for i := range events {
		events[i].Desc = Describe(&events[i])
	}
	return h, events, &Footer{Verdict: "pass", Events: 2, End: 1_500_000, Hash: "00000000deadbeef"}
}

func TestWriteReadRoundTrip(t *testing.T) {
	h, events, f := sample()
	var buf bytes.Buffer
	w := NewWriter(&buf, h)
	for i := range events {
		w.Event(&events[i])
	}
	if err := w.Close(f); err != nil {
		t.Fatal(err)
	}
	got, err := Read(&buf)
	if err != nil {
		t.Fatal(err)
	}
	want := &Trace{Header: *h, Events: events, Footer: f}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("(-want +got):\n%s", diff)
	}
}

func TestDescribe(t *testing.T) {
	_, events, _ := sample()
	want := []string{"0.000000s n1 start", "0.001500s n2 ← n1 MsgPing{}"}
	got := []string{events[0].Desc, events[1].Desc}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("(-want +got):\n%s", diff)
	}
}

func TestReadErrorsNameTheLine(t *testing.T) {
	header := `{"format":"orrery-trace/1","protocol":"chat","seed":1,"config":{},"options":[]}`
	tests := []struct{ name, file, want string }{
		{"empty", "", "line 1: not an orrery trace"},
		{"no header", `{"seq":1}`, "line 1: not an orrery trace: no header"},
		{"wrong version", `{"format":"orrery-trace/9"}`, `line 1: format "orrery-trace/9"`},
		{"bad json", header + "\n{not json", "line 2: event"},
		{"unknown field", header + "\n" + `{"seq":1,"bogus":2}`, "line 2: event"},
		{"seq gap", header + "\n" + `{"seq":2,"t":0,"kind":"start","desc":""}`, "line 2: event seq 2, want 1"},
		{"bad choice", header + "\n" + `{"seq":1,"t":0,"kind":"start","choices":["delay:9/3"],"desc":""}`, "line 2: bad choice"},
		{"after footer", header + "\n" + `{"verdict":"pass","events":0,"end":0,"hash":""}` + "\n{}", "line 3: content after the footer"},
	}
	for _, tt := range tests {
		_, err := Read(strings.NewReader(tt.file))
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("%s: got %v, want prefix %q", tt.name, err, tt.want)
		}
	}
}

func TestChoiceRoundTrip(t *testing.T) {
	c := scheduler.Choice{Purpose: scheduler.Torn, N: 7, Value: 6}
	got, err := DecodeChoice(EncodeChoice(c))
	if err != nil || got != c {
		t.Fatalf("got %v, %v", got, err)
	}
}

// FuzzRead: the reader never panics, and what it accepts it can write back and
// read again to the same trace.
func FuzzRead(f *testing.F) {
	h, events, footer := sample()
	var buf bytes.Buffer
	w := NewWriter(&buf, h)
	for i := range events {
		w.Event(&events[i])
	}
	w.Close(footer)
	f.Add(buf.String())
	f.Add("")
	f.Add(`{"format":"orrery-trace/1"}` + "\n" + `{"seq":1,"choices":["rand:0/1"]}`)
	f.Fuzz(func(t *testing.T, s string) {
		tr, err := Read(strings.NewReader(s))
		if err != nil {
			return
		}
		var out bytes.Buffer
		w := NewWriter(&out, &tr.Header)
		for i := range tr.Events {
			w.Event(&tr.Events[i])
		}
		if tr.Footer != nil {
			w.Close(tr.Footer)
		} else {
			w.w.Flush()
		}
		again, err := Read(&out)
		if err != nil {
			t.Fatalf("re-read of an accepted trace failed: %v", err)
		}
		if !cmp.Equal(tr.Events, again.Events, cmpopts.EquateEmpty()) || !cmp.Equal(tr.Footer, again.Footer) {
			t.Fatalf("round trip changed the trace")
		}
	})
}
