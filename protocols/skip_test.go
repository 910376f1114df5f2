package protocols

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/orrery-sim/orrery/sim"
)

func TestParseOpSet(t *testing.T) {
	tests := []struct {
		text string
		want OpSet
		str  string
	}{
		{"", nil, ""},
		{"c1#2", OpSet{{Client: "c1", Seq: 2}}, "c1#2"},
		{" c2#1 , c1#3+12ms,c1#2,c1#3 ", OpSet{{Client: "c1", Seq: 2}, {Client: "c1", Seq: 3, For: 12 * sim.Millisecond}, {Client: "c2", Seq: 1}},
			"c1#2,c1#3+12ms,c2#1"},
		{"c1#1+1500us", OpSet{{Client: "c1", Seq: 1, For: 1500 * sim.Microsecond}}, "c1#1+1500us"},
	}
	for _, tt := range tests {
		got, err := ParseOpSet(tt.text)
		if err != nil {
			t.Errorf("ParseOpSet(%q): %v", tt.text, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("ParseOpSet(%q) (-want +got):\n%s", tt.text, diff)
		}
		if got.String() != tt.str {
			t.Errorf("ParseOpSet(%q).String() = %q, want %q", tt.text, got.String(), tt.str)
		}
	}
	for _, bad := range []string{"c1", "#2", "c1#0", "c1#", "c1#-1", "c1#2+", "c1#2+5", "c1#2+-1ms", "c1#2+2h", "c1#99999", ","} {
		if _, err := ParseOpSet(bad); err == nil {
			t.Errorf("ParseOpSet(%q) accepted", bad)
		}
	}
}

func TestOpSetSkipped(t *testing.T) {
	s, err := ParseOpSet("c1#2+5ms,c2#1")
	if err != nil {
		t.Fatal(err)
	}
	type answer struct {
		For  sim.Time
		Skip bool
	}
	var got []answer
	for _, q := range []OpRef{{Client: "c1", Seq: 2}, {Client: "c1", Seq: 1}, {Client: "c2", Seq: 1}, {Client: "c3", Seq: 1}} {
		d, ok := s.Skipped(q.Client, q.Seq)
		got = append(got, answer{d, ok})
	}
	want := []answer{{5 * sim.Millisecond, true}, {0, false}, {0, true}, {0, false}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Skipped (-want +got):\n%s", diff)
	}
}

// FuzzParseOpSet: any text either fails with an error or parses to a set
// whose text form parses back to the same set.
func FuzzParseOpSet(f *testing.F) {
	for _, seed := range []string{"", "c1#2", "c1#2+12ms,c2#1", "c1#2+1500us, c1#1", "x#1+1s,x#1", "c1#2+", "#"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		s, err := ParseOpSet(text)
		if err != nil {
			return
		}
		again, err := ParseOpSet(s.String())
		if err != nil {
			t.Fatalf("%q parsed, its form %q does not: %v", text, s.String(), err)
		}
		if diff := cmp.Diff(s, again); diff != "" {
			t.Fatalf("%q: round trip (-first +again):\n%s", text, diff)
		}
	})
}
