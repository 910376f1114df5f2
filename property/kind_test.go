package property

import "testing"

func TestKindRoundTrips(t *testing.T) {
	for k := Always; k < kindCount; k++ {
		got, err := Parse(k.String())
		if err != nil || got != k {
			t.Errorf("Parse(%q) = %v, %v", k, got, err)
		}
	}
	if _, err := Parse("never"); err == nil {
		t.Error("Parse accepted an unknown kind")
	}
}
