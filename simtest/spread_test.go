package simtest

import (
	"testing"

	"pgregory.net/rapid"
)

// TestSpreadIsAboutUniform: drawn fault times cover the whole phase (a
// quarter of the draws or more in each half), where rapid's IntRange puts
// most of them at the start; and every value stays within the range.
func TestSpreadIsAboutUniform(t *testing.T) {
	const n = 9999
	var low, high int
	rapid.Check(t, func(t *rapid.T) {
		v := spread(t, n, "v")
		if v < 0 || v > n {
			t.Fatalf("spread(%d) = %d", n, v)
		}
		if v < n/2 {
			low++
		} else {
			high++
		}
	})
	if total := low + high; low < total/4 || high < total/4 {
		t.Fatalf("%d draws below %d, %d above", low, n/2, high)
	}
}
