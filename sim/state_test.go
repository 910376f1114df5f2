package sim_test

import (
	"testing"

	"github.com/orrery-sim/orrery/sim"
)

// TestCloneAndFingerprintFallback: the generic fallback deep-copies an agent and
// fingerprints it by value.
func TestCloneAndFingerprintFallback(t *testing.T) {
	a := &pinger{peer: 1, got: []int{1, 2, 3}, ticks: 3}
	c := sim.CloneAgent(a).(*pinger)
	if sim.FingerprintAgent(a) != sim.FingerprintAgent(c) {
		t.Fatal("a clone fingerprints differently")
	}
	c.got[0] = 99
	c.ticks++
	if a.got[0] != 1 || a.ticks != 3 {
		t.Fatal("mutating the clone changed the original")
	}
	if sim.FingerprintAgent(a) == sim.FingerprintAgent(c) {
		t.Fatal("different states, same fingerprint")
	}
}

func TestStorageFingerprintSeesUnsyncedWrites(t *testing.T) {
	s := sim.NewStorage()
	s.Put("a", []byte("1"))
	before := s.Fingerprint()
	c := s.Clone()
	if c.Fingerprint() != before {
		t.Fatal("clone fingerprints differently")
	}
	c.Put("b", []byte("2"))
	if c.Fingerprint() == before || s.Fingerprint() != before {
		t.Fatal("fingerprint missed a write, or the clone shares state")
	}
}
