package sim_test

import (
	"testing"

	"github.com/orrery-sim/orrery/sim"
)

// TestParseDuration: one syntax everywhere, Go's, with units required.
func TestParseDuration(t *testing.T) {
	tests := []struct {
		in      string
		want    sim.Time
		wantErr bool
	}{
		{"500ms", 500 * sim.Millisecond, false},
		{"1m30s", 90 * sim.Second, false},
		{"1.5s", 1500 * sim.Millisecond, false},
		{"250us", 250 * sim.Microsecond, false},
		{"250µs", 250 * sim.Microsecond, false},
		{"7ns", 7, false},
		{"2h", 120 * sim.Minute, false},
		{"0", 0, false},
		{"0s", 0, false},
		{"500", 0, true}, // a bare number: seconds or milliseconds?
		{"1.5", 0, true},
		{"", 0, true},
		{"-1s", 0, true},
		{"+1s", 0, true},
		{"1d", 0, true},
		{"s", 0, true},
		{"1001h", 0, true},
		{"1 s", 0, true},
	}
	for _, tt := range tests {
		got, err := sim.ParseDuration(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}
