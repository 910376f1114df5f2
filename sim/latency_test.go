package sim

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestHistoryLatency(t *testing.T) {
	done := func(call, ret Time) Op { return Op{Call: call, Return: ret, Done: true} }
	open := Op{Call: 5, Return: Never}
	hundred := make([]Op, 0, 101)
	for i := 1; i <= 100; i++ {
		hundred = append(hundred, done(Second, Second+Time(i)*Millisecond))
	}
	hundred = append(hundred, open)
	tests := []struct {
		name string
		ops  []Op
		want Latency
		text string
	}{
		{"empty", nil, Latency{}, "no operation completed (0 done, 0 open)"},
		{"only open", []Op{open}, Latency{Open: 1}, "no operation completed (0 done, 1 open)"},
		{"one", []Op{done(Second, 2250*Millisecond)},
			Latency{Count: 1, P50: 1250 * Millisecond, P90: 1250 * Millisecond, P99: 1250 * Millisecond, Max: 1250 * Millisecond},
			"p50 1250ms, p90 1250ms, p99 1250ms, max 1250ms (1 done, 0 open)"},
		{"unordered", []Op{done(0, 30), done(0, 10), open, done(0, 20)},
			Latency{Count: 3, Open: 1, P50: 20, P90: 30, P99: 30, Max: 30},
			"p50 20ns, p90 30ns, p99 30ns, max 30ns (3 done, 1 open)"},
		{"nearest rank", hundred,
			Latency{Count: 100, Open: 1, P50: 50 * Millisecond, P90: 90 * Millisecond, P99: 99 * Millisecond, Max: 100 * Millisecond},
			"p50 50ms, p90 90ms, p99 99ms, max 100ms (100 done, 1 open)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := History{Ops: tt.ops}
			got := h.Latency()
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Latency (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.text, got.String()); diff != "" {
				t.Errorf("String (-want +got):\n%s", diff)
			}
		})
	}
}
