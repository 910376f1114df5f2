package harness_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/orrery-sim/orrery/harness"
)

// TestCampaign: a sometimes property fails the campaign only if it held in
// no run; the report counts runs per property and sums fault counters.
func TestCampaign(t *testing.T) {
	var c harness.Campaign
	c.Add(nil, []string{"leader-elected", "value-chosen"}, map[string]uint64{"crash": 2})
	if got := c.Err(); got == nil || got.Error() != "sometimes property leader-elected, value-chosen never held in 1 run" {
		t.Errorf("after one run: %v", got)
	}
	c.Add([]string{"leader-elected"}, []string{"value-chosen"}, map[string]uint64{"crash": 1, "heal": 1})
	c.Add([]string{"leader-elected", "value-chosen"}, nil, nil)
	if err := c.Err(); err != nil {
		t.Errorf("after three runs: %v", err)
	}
	want := []string{"leader-elected held in 2 of 3", "value-chosen held in 1 of 3", "faults (runs): crash 3 (2), heal 1 (1)"}
	if diff := cmp.Diff(want, c.Lines()); diff != "" {
		t.Errorf("report (-want +got):\n%s", diff)
	}
}
