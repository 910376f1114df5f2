package cli

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestCoverageIsACampaignProperty: a 100ms chat run of seed 1 never relays a
// message; alone (a single run, or a sweep of that one seed) it fails on
// coverage with exit 3, but in a sweep of seeds 1-11 the property held in
// other seeds and the sweep passes, also when every seed comes from a
// results file (-resume), whose lines carry what held.
func TestCoverageIsACampaignProperty(t *testing.T) {
	// Chat runs of 100ms: too short for most seeds to relay a message.
	base := []string{"-protocol", "chat", "-time", "100ms", "-liveness", "1s"}
	tests := []struct {
		name string
		args []string
		code int
		want []string
	}{
		{"one seed", []string{"-seed", "1"}, 3, []string{"result      FAIL (coverage): sometimes relayed-delivery never held in this run"}},
		{"a sweep of one seed", []string{"-seeds", "1-1", "-workers", "2"}, 3, []string{
			"coverage    relayed-delivery held in 0 of 1\n", "result      FAIL (coverage): sometimes property relayed-delivery never held in 1 run\n"}},
		{"a sweep", []string{"-seeds", "1-11", "-workers", "2"}, 0, []string{
			"coverage    relayed-delivery held in 3 of 11\n", "coverage    faults (runs): ", "heal 11 (11)", "result      PASS: no failing seed\n"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := simrun(t, append(base, tt.args...)...)
			if code != tt.code {
				t.Errorf("exit %d, want %d; stderr %q", code, tt.code, errs)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
		})
	}
	results := filepath.Join(t.TempDir(), "results.jsonl")
	sweep := append(base, "-seeds", "1-11")
	if code, out, _ := simrun(t, append(sweep, "-results", results)...); code != 0 {
		t.Fatalf("sweep with -results: exit %d\n%s", code, out)
	}
	code, out, _ := simrun(t, append(sweep, "-resume", results)...)
	if want := "coverage    relayed-delivery held in 3 of 11\n"; code != 0 || !strings.Contains(out, want) {
		t.Errorf("resumed sweep: exit %d, want 0 and %q:\n%s", code, want, out)
	}
}
