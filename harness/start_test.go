package harness

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/orrery-sim/orrery/sim"
)

func TestParseStarts(t *testing.T) {
	tests := []struct {
		text string
		want Starts
		err  string
	}{
		{text: ""},
		{text: "c1=200ms", want: Starts{{"c1", 200 * sim.Millisecond}}},
		{text: " c2=1.5s , c1=150ms", want: Starts{{"c1", 150 * sim.Millisecond}, {"c2", 1500 * sim.Millisecond}}},
		{text: "c1", err: `item 1: want AGENT=TIME (c1=200ms), got "c1"`},
		{text: "=5ms", err: `item 1: want AGENT=TIME (c1=200ms), got "=5ms"`},
		{text: "c1=5", err: `item 1 ("c1"): duration "5" has no unit (want e.g. 5ms or 5s)`},
		{text: "c1=0", err: `item 1: "c1" starts at 0, as every agent does (leave it out)`},
		{text: "c1=5ms,c1=6ms", err: `item 2: "c1" named twice`},
	}
	for _, tt := range tests {
		got, err := ParseStarts(tt.text)
		if tt.err != "" {
			if err == nil || err.Error() != tt.err {
				t.Errorf("%q: error %v, want %q", tt.text, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", tt.text, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%q (-want +got):\n%s", tt.text, diff)
		}
	}
}

// FuzzParseStarts: whatever parses, its text form parses back to the same
// starts.
func FuzzParseStarts(f *testing.F) {
	for _, seed := range []string{"", "c1=200ms", "c2=1.5s,c1=150ms", "c1=5ms,c1=6ms", "c1=0", "=", "a=1h"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		s, err := ParseStarts(text)
		if err != nil {
			return
		}
		again, err := ParseStarts(s.String())
		if err != nil {
			t.Fatalf("%q parsed, its form %q does not: %v", text, s.String(), err)
		}
		if diff := cmp.Diff(s, again); diff != "" {
			t.Fatalf("%q: round trip (-first +again):\n%s", text, diff)
		}
	})
}
