package explore

import (
	"testing"

	"pgregory.net/rapid"
)

// TestFPTableIsASet compares the ordered table with a Go map on random and on
// deliberately clustered fingerprints (which force long runs, shifts into the
// tail and growth).
func TestFPTableIsASet(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		clustered := rapid.Bool().Draw(t, "clustered")
		table := newFPTable(tableHomeMinSlots)
		want := map[uint64]bool{}
		for range rapid.IntRange(0, 5000).Draw(t, "inserts") {
			fp := rapid.Uint64().Draw(t, "fp")
			if clustered {
				fp = 1<<40 + fp%4096 // one shard, a few home slots
			}
			fp = normalizeFingerprint(fp &^ (uint64(shardCount-1) << (64 - shardBits)))
			if got := table.insert(fp); got == want[fp] {
				t.Fatalf("insert(%#x) = %v, but present = %v", fp, got, want[fp])
			}
			want[fp] = true
		}
		if table.count != len(want) {
			t.Fatalf("count %d, want %d", table.count, len(want))
		}
		for fp := range want {
			if !table.contains(fp) {
				t.Fatalf("lost %#x", fp)
			}
		}
	})
}
