package cli

import (
	"encoding/json"
	"regexp"
	"testing"
)

// TestLatencyInSummary: a protocol with clients reports per-operation latency
// in virtual time, in the summary and in -json.
func TestLatencyInSummary(t *testing.T) {
	code, out, _ := simrun(t, "-protocol", "raft", "-seed", "3", "-time", "2s", "-liveness", "2s")
	line := regexp.MustCompile(`(?m)^latency     p50 \S+, p90 \S+, p99 \S+, max \S+ \(\d+ done, \d+ open\)$`)
	if code != 0 || !line.MatchString(out) {
		t.Errorf("exit %d, no latency line in:\n%s", code, out)
	}
	_, out, _ = simrun(t, "-protocol", "raft", "-seed", "3", "-time", "2s", "-liveness", "2s", "-json")
	var s summary
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	l := s.Latency
	if l == nil || l.Count == 0 || l.Count+l.Open != s.Operations || !(0 < l.P50 && l.P50 <= l.P90 && l.P90 <= l.P99 && l.P99 <= l.Max) {
		t.Errorf("latency %+v for %d operations", l, s.Operations)
	}
}
