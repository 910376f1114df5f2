package sim

import (
	"slices"

	"github.com/orrery-sim/orrery/internal/statehash"
)

// The model checker stores and compares agent states. Any agent works through a
// correct generic fallback (a reflection-based deep copy and an order-independent
// 64-bit fingerprint that follows pointers, sorts maps and includes dynamic
// types); an agent may implement StateCloner and StateHasher to be faster.

// Hasher accumulates a fingerprint; agents implementing StateHasher write to it.
type Hasher = statehash.Hasher

// StateCloner is implemented by an agent that deep-copies itself. CloneState must
// return a value of the receiver's own type, sharing nothing mutable with it.
type StateCloner = statehash.StateCloner

// StateHasher is implemented by an agent that writes its own state into a Hasher.
// Equal states must write equal streams.
type StateHasher = statehash.StateHasher

// CloneAgent returns an independent deep copy of an agent's state.
func CloneAgent(a Agent) Agent { return statehash.Clone(a).(Agent) }

// FingerprintAgent returns a 64-bit fingerprint of an agent's state.
func FingerprintAgent(a Agent) uint64 { return statehash.Fingerprint(a) }

// HashState writes the store's durable contents, its volatile cache and its
// unsynced writes (in order) into h: two stores with the same fingerprint behave
// the same under every future crash.
func (s *Storage) HashState(h *Hasher) {
	hashMap := func(m map[string][]byte) {
		keys := make([]string, 0, len(m))
		for k := range m { // lint:ordered sorted below
			keys = append(keys, k)
		}
		slices.Sort(keys)
		h.WriteUint64(uint64(len(keys)))
		for _, k := range keys {
			h.WriteString(k)
			h.WriteBytes(m[k])
		}
	}
	hashMap(s.durable)
	hashMap(s.cache)
	h.WriteUint64(uint64(len(s.pending)))
	for _, w := range s.pending {
		h.WriteString(w.key)
		h.WriteBool(w.delete)
		h.WriteBytes(w.value)
	}
}

// Fingerprint returns the store's fingerprint (see HashState).
func (s *Storage) Fingerprint() uint64 {
	var h Hasher
	s.HashState(&h)
	return h.Sum64()
}
