package sim

import (
	"slices"
	"strings"

	"github.com/orrery-sim/orrery/internal/assert"
)

// Storage is an agent's durable key-value store with crash semantics. Writes go
// to a volatile cache at once (reads see them) and become durable only when the
// handler that wrote them, or a later one, calls Context.Sync, which takes effect at
// the call: the handler's messages leave when it returns, so after the sync. Nothing
// syncs on its own (a handler that never calls Sync leaves its writes to the next
// crash's mode). A crash keeps what was synced and,
// depending on the fault, none, all, or a prefix (a torn write) of the rest.
type Storage struct {
	durable map[string][]byte
	cache   map[string][]byte
	pending []write
	stats   StorageStats
}

type write struct {
	key    string
	value  []byte
	delete bool
}

// StorageStats counts what an agent did to its storage.
type StorageStats struct {
	Writes, Syncs, LostWrites uint64
}

// Storage limits, asserted.
const (
	storageKeysMax    = 1 << 20
	storageValueBytes = 16 << 20
	pendingWritesMax  = 1 << 20
)

// NewStorage returns an empty store.
func NewStorage() *Storage {
	return &Storage{durable: map[string][]byte{}, cache: map[string][]byte{}}
}

// Get returns the current value of key. The slice must not be modified.
func (s *Storage) Get(key string) ([]byte, bool) {
	v, ok := s.cache[key]
	return v, ok
}

// Put sets key to a copy of value.
func (s *Storage) Put(key string, value []byte) {
	assert.That(len(value) <= storageValueBytes, "storage value of %d bytes exceeds %d", len(value), storageValueBytes)
	v := slices.Clone(value)
	if v == nil {
		v = []byte{}
	}
	s.cache[key] = v
	s.pending = append(s.pending, write{key: key, value: v})
	s.stats.Writes++
	assert.That(len(s.cache) <= storageKeysMax, "storage holds more than %d keys", storageKeysMax)
	assert.That(len(s.pending) <= pendingWritesMax, "more than %d unsynced writes", pendingWritesMax)
}

// Delete removes key.
func (s *Storage) Delete(key string) {
	if _, ok := s.cache[key]; !ok {
		return
	}
	delete(s.cache, key)
	s.pending = append(s.pending, write{key: key, delete: true})
	s.stats.Writes++
}

// Keys returns the keys with the given prefix, sorted.
func (s *Storage) Keys(prefix string) []string {
	var keys []string
	for k := range s.cache { // lint:ordered sorted below
		if strings.HasPrefix(k, prefix) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}

// Len is the number of keys.
func (s *Storage) Len() int { return len(s.cache) }

// Unsynced is the number of writes that a crash could lose.
func (s *Storage) Unsynced() int { return len(s.pending) }

// Stats returns the storage counters.
func (s *Storage) Stats() StorageStats { return s.stats }

// sync makes every pending write durable.
func (s *Storage) sync() {
	if len(s.pending) == 0 {
		return
	}
	for _, w := range s.pending {
		if w.delete {
			delete(s.durable, w.key)
		} else {
			s.durable[w.key] = w.value
		}
	}
	s.pending = s.pending[:0]
	s.stats.Syncs++
}

// crash drops the volatile cache, keeping the first keep unsynced writes (a torn
// write keeps a prefix; keep = 0 loses them all).
func (s *Storage) crash(keep int) {
	assert.That(keep >= 0 && keep <= len(s.pending), "crash keeps %d of %d writes", keep, len(s.pending))
	s.stats.LostWrites += uint64(len(s.pending) - keep)
	s.pending = s.pending[:keep]
	s.sync()
	s.cache = make(map[string][]byte, len(s.durable))
	for k, v := range s.durable { // lint:ordered copies a map
		s.cache[k] = v
	}
}

// Clone returns an independent copy (values are shared: they are never mutated).
func (s *Storage) Clone() *Storage {
	c := &Storage{durable: make(map[string][]byte, len(s.durable)), cache: make(map[string][]byte, len(s.cache)), stats: s.stats}
	for k, v := range s.durable { // lint:ordered copies a map
		c.durable[k] = v
	}
	for k, v := range s.cache { // lint:ordered copies a map
		c.cache[k] = v
	}
	c.pending = slices.Clone(s.pending)
	return c
}
