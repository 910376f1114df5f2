package explore

import "math/bits"

// The visited set is split into shards by the top bits of the fingerprint, so
// that during a parallel BFS level each shard has exactly one writer and needs no
// lock. The shard count is fixed, so memory and results do not depend on the
// number of workers.
const (
	shardBits  = 4
	shardCount = 1 << shardBits

	// An ordered linear-probing table stays fast up to high load because a
	// lookup stops at the first larger fingerprint; growing by a small factor
	// keeps the load (and so the bytes per state) within a narrow band.
	tableLoadMaxPercent         = 90
	tableGrowthPercent          = 120
	tableHomeMinSlots           = 1 << 8
	tableTailSlots              = 1 << 7
	fullStateEntryBytesEstimate = 96
)

func shardOf(fp uint64) int { return int(fp >> (64 - shardBits)) }

// normalizeFingerprint reserves 0 for empty slots.
func normalizeFingerprint(fp uint64) uint64 {
	if fp == 0 {
		return 1
	}
	return fp
}

// fpTable is a set of nonzero fingerprints kept in sorted order (Amble and
// Knuth's ordered hash table): the home slot of a fingerprint is monotone in
// it, so every cluster is sorted, a lookup stops at the first larger value and
// growing is one sequential pass. It stores 8 bytes per slot and nothing else.
type fpTable struct {
	slots []uint64 // home positions followed by a tail that absorbs the last cluster
	home  uint64
	count int
}

func newFPTable(homeSlots uint64) fpTable {
	return fpTable{slots: make([]uint64, homeSlots+tableTailSlots), home: homeSlots}
}

func (t *fpTable) homeOf(fp uint64) int {
	hi, _ := bits.Mul64(fp<<shardBits, t.home)
	return int(hi)
}

func (t *fpTable) contains(fp uint64) bool {
	i := t.homeOf(fp)
	for {
		v := t.slots[i]
		if v == 0 || v >= fp {
			return v == fp
		}
		i++
	}
}

// insert adds fp and reports whether it was absent.
func (t *fpTable) insert(fp uint64) bool {
	i := t.homeOf(fp)
	for t.slots[i] != 0 && t.slots[i] < fp {
		i++
	}
	if t.slots[i] == fp {
		return false
	}
	empty := i
	for t.slots[empty] != 0 {
		empty++
	}
	// The last slot stays empty so that every scan terminates.
	if empty == len(t.slots)-1 {
		t.grow(t.home)
		return t.insert(fp)
	}
	copy(t.slots[i+1:empty+1], t.slots[i:empty])
	t.slots[i] = fp
	t.count++
	if uint64(t.count)*100 > t.home*tableLoadMaxPercent {
		t.grow(t.home * tableGrowthPercent / 100)
	}
	return true
}

// grow rehashes into at least homeSlots home positions; the table is sorted, so
// each value lands at its new home or just after the previous value.
func (t *fpTable) grow(homeSlots uint64) {
	homeSlots = max(homeSlots, t.home+1)
	for {
		next := newFPTable(homeSlots)
		if next.fill(t.slots) {
			next.count = t.count
			*t = next
			return
		}
		homeSlots += tableTailSlots
	}
}

func (t *fpTable) fill(sorted []uint64) bool {
	last := -1
	for _, v := range sorted {
		if v == 0 {
			continue
		}
		pos := max(t.homeOf(v), last+1)
		if pos >= len(t.slots)-1 {
			return false
		}
		t.slots[pos] = v
		last = pos
	}
	return true
}

func (t *fpTable) bytes() int64 { return int64(len(t.slots)) * 8 }

// fullTable stores canonical encodings, so distinct states are never merged,
// and remembers one encoding per fingerprint to count collisions.
type fullTable struct {
	keys       map[string]struct{}
	byFP       map[uint64]string
	keyBytes   int64
	collisions int64
}

func newFullTable() *fullTable {
	return &fullTable{keys: map[string]struct{}{}, byFP: map[uint64]string{}}
}

func (t *fullTable) insert(fp uint64, key []byte) bool {
	if _, ok := t.keys[string(key)]; ok {
		return false
	}
	k := string(key)
	t.keys[k] = struct{}{}
	t.keyBytes += int64(len(k))
	if prev, ok := t.byFP[fp]; !ok {
		t.byFP[fp] = k
	} else if prev != k {
		t.collisions++
	}
	return true
}

// visitedSet is the set of stored states: shardCount fingerprint tables, or
// shardCount full-state tables.
type visitedSet struct {
	fps  [shardCount]fpTable
	full [shardCount]*fullTable
}

func newVisitedSet(fullState bool) *visitedSet {
	v := &visitedSet{}
	for i := range v.fps {
		if fullState {
			v.full[i] = newFullTable()
		} else {
			v.fps[i] = newFPTable(tableHomeMinSlots)
		}
	}
	return v
}

// contains is safe for concurrent use while no goroutine inserts.
func (v *visitedSet) contains(fp uint64, key []byte) bool {
	s := shardOf(fp)
	if f := v.full[s]; f != nil {
		_, ok := f.keys[string(key)]
		return ok
	}
	return v.fps[s].contains(fp)
}

// insert is safe for concurrent use only on distinct shards.
func (v *visitedSet) insert(fp uint64, key []byte) bool {
	s := shardOf(fp)
	if f := v.full[s]; f != nil {
		return f.insert(fp, key)
	}
	return v.fps[s].insert(fp)
}

func (v *visitedSet) bytes() int64 {
	var n int64
	for i := range v.fps {
		if f := v.full[i]; f != nil {
			n += f.keyBytes + int64(len(f.keys))*fullStateEntryBytesEstimate
			continue
		}
		n += v.fps[i].bytes()
	}
	return n
}

func (v *visitedSet) collisions() int64 {
	var n int64
	for _, f := range v.full {
		if f != nil {
			n += f.collisions
		}
	}
	return n
}
