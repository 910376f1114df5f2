package shrink

import (
	"encoding/json"
	"hash/fnv"
)

// rejectedMax bounds the cache of rejected candidates (a key is 8 bytes and a
// bound 8 more, so the cache stays under a few megabytes).
const rejectedMax = 1 << 17

// key identifies a candidate: its config and choice log. Two passes often
// build the same candidate (moving a fault to where another pass already put
// it, zeroing a chunk that a deletion left as it was), and a run is the cost.
func (c Case) key() uint64 {
	h := fnv.New64a()
	raw, _ := json.Marshal(c.Config) // plain data: cannot fail
	h.Write(raw)
	// FNV-1a over words rather than hash.Hash's Write per choice, which costs
	// as much as a short candidate run. A collision would only skip a
	// candidate, never accept a wrong one.
	k := h.Sum64()
	for _, ch := range c.Choices {
		k = (k ^ ch.N) * fnvPrime
		k = (k ^ (ch.Value<<8 | uint64(ch.Purpose))) * fnvPrime
	}
	for _, q := range c.keys { // who asked: the same log keyed otherwise is another run
		k = (k ^ (uint64(uint32(q.Asker))<<32 | uint64(uint32(q.To)))) * fnvPrime
	}
	return k
}

const fnvPrime = 1099511628211

// knownRejected reports whether a candidate with this key was rejected under
// a bound at least as generous as eventsMax: a run is deterministic, so it
// would be rejected again.
func (s *shrinker) knownRejected(key, eventsMax uint64) bool {
	bound, ok := s.rejected[key]
	return ok && bound >= eventsMax
}

// reject records that the candidate with this key does not fail the way
// wanted within eventsMax events.
func (s *shrinker) reject(key, eventsMax uint64) {
	if s.rejected == nil {
		s.rejected = map[uint64]uint64{}
	}
	if len(s.rejected) < rejectedMax {
		s.rejected[key] = max(s.rejected[key], eventsMax)
	}
}
