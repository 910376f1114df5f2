package linearizability

import "slices"

const (
	cacheSlotsMin = 1 << 10
	// cacheWordsMax bounds the shared bitset storage so offsets fit uint32.
	cacheWordsMax = 1<<32 - 1
)

// stateCache is the memo of explored configurations: (set of linearized
// operations, model state) pairs, in an open-addressing hash table.
//
// A linearized set is stored compactly: the search linearizes operations
// roughly in call order, so a set is a run of full words, a short window of
// mixed words, then zeros. Only the window is kept (its first word index
// and its words), which is exact: equal sets have equal windows.
type stateCache[S any] struct {
	slots   []uint32 // entry index + 1; 0 marks an empty slot
	entries []cacheEntry[S]
	words   []uint64
	equal   func(a, b S) bool
}

type cacheEntry[S any] struct {
	hash   uint64
	offset uint32 // of the window in words
	low    uint16 // index of the window's first word
	count  uint16 // words in the window
	state  S
}

func (c *stateCache[S]) init(equal func(a, b S) bool) {
	c.slots = make([]uint32, cacheSlotsMin)
	c.equal = equal
}

// window returns the index range of the words that are neither all ones
// (before) nor all zeros (after).
func window(bits []uint64) (low, high int) {
	for low < len(bits) && bits[low] == ^uint64(0) {
		low++
	}
	high = len(bits)
	for high > low && bits[high-1] == 0 {
		high--
	}
	return low, high
}

// insert adds (bits, state) under hash and reports whether it was new.
func (c *stateCache[S]) insert(bits []uint64, hash uint64, state S) bool {
	low, high := window(bits)
	mask := uint64(len(c.slots) - 1)
	i := hash & mask
	for ; c.slots[i] != 0; i = (i + 1) & mask {
		e := &c.entries[c.slots[i]-1]
		if e.hash != hash || int(e.low) != low || int(e.count) != high-low {
			continue
		}
		if slices.Equal(c.words[e.offset:e.offset+uint32(e.count)], bits[low:high]) && c.equal(e.state, state) {
			return false
		}
	}
	if len(c.words)+high-low > cacheWordsMax {
		panic("linearizability: memo exceeds cacheWordsMax words")
	}
	c.entries = append(c.entries, cacheEntry[S]{
		hash:   hash,
		offset: uint32(len(c.words)),
		low:    uint16(low),
		count:  uint16(high - low),
		state:  state,
	})
	c.words = append(c.words, bits[low:high]...)
	c.slots[i] = uint32(len(c.entries))
	if 2*len(c.entries) > len(c.slots) {
		c.grow()
	}
	return true
}

func (c *stateCache[S]) grow() {
	c.slots = make([]uint32, 2*len(c.slots))
	mask := uint64(len(c.slots) - 1)
	for k := range c.entries {
		i := c.entries[k].hash & mask
		for c.slots[i] != 0 {
			i = (i + 1) & mask
		}
		c.slots[i] = uint32(k + 1)
	}
}

// size returns the number of configurations stored.
func (c *stateCache[S]) size() int { return len(c.entries) }
