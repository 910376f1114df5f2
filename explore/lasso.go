package explore

import (
	"errors"
	"hash/fnv"
	"math"
	"math/bits"
	"slices"

	"github.com/orrery-sim/orrery/internal/assert"
	"github.com/orrery-sim/orrery/property"
)

// Liveness (Options.Liveness). An Eventually property P is checked as a
// lasso search over the stored state graph under weak fairness: the search
// fails when some run, after a prefix, loops forever through states where P
// is false and treats every action fairly. Precisely:
//
//   - An action's identity across states is its fair key (Fairness.FairKey;
//     without Fairness, every action is fair and identified by its
//     description). A key is enabled in a state when some enabled action of
//     the state has it, and taken by an edge (a transition) that carries it.
//   - A cycle is weakly fair when every key enabled in all of its states is
//     taken by one of its edges (an action continuously enabled is
//     eventually taken).
//   - A counterexample is a path from an initial state to a state e, then a
//     fair cycle from e back to e on which P is false in every state; or a
//     path to a state where P is false and no fair key is enabled, where the
//     run may stop (or stutter) for ever. The prefix may pass through states
//     where P holds: what fails is "P holds again and again", which for a
//     stable P (once true, true for ever) is "P holds at some point".
//
// The check is exact for weak fairness: a strongly connected component C of
// the graph restricted to the states where P is false contains a fair cycle
// if and only if every key enabled in all of C's states is taken by an edge
// inside C (a cycle through all of C's states and edges is then fair; and if
// some key is enabled everywhere in C and never taken inside it, no cycle in
// C takes it).
//
// Bounds. States the search did not expand (at the depth bound, outside a
// Bounded model's constraint, cut by a state limit) have no known
// successors and are never part of a lasso: a bound never produces a
// counterexample. A state whose enabled actions a bound of the model hides
// (Fairness.Hidden) is left out too. The price is that bounds can hide a
// liveness bug: a cycle that reaches past the depth bound or through
// unexpanded states, a cycle that would only be fair by taking an action
// into an unexpanded state (that action counts as enabled and not taken),
// or a run stuck beyond the bound is not found. A search stopped by a limit
// (depth, states) that finds no lasso leaves the property unknown; a
// Bounded model's constraint leaves the search complete, and "holds" then
// means no fair lasso within the constraint.

// Fairness is implemented by models that say which actions are subject to
// weak fairness and how to recognise an action across states. A model
// without it treats every action as fair, identified by its description
// (Describer, or fmt's %v).
type Fairness[S, A any] interface {
	// FairKey returns a's identity across states (the same transition of
	// the same component: deliver this message to this node, fire this
	// timer at this node) and whether a is fair: false for a choice the
	// environment may withhold for ever (a crash, a loss, a client's next
	// request).
	FairKey(a A) (key uint64, fair bool)
	// Hidden reports whether a bound of the model hides an action enabled
	// in s (a timer due after a time bound): s's enabled set is then
	// incomplete and s is left out of every lasso.
	Hidden(s S) bool
}

// ErrLiveness is returned for Options.Liveness with a strategy or reduction
// the lasso search does not support.
var ErrLiveness = errors.New("explore: liveness needs a breadth-first search without symmetry, partial-order or full-state mode")

// noTarget is the target of an edge into a state the search did not store
// (cut by Options.StatesMax).
const noTarget = math.MaxUint32

// keyIDBytesEstimate is what one interned fair key costs in the map.
const keyIDBytesEstimate = 24

// liveGraph is the stored state graph of a search with Eventually
// properties: states are numbered in BFS order (level by level, canonical
// order within a level), and each expanded state's edges are its enabled
// transitions in the order Actions lists them.
type liveGraph struct {
	props []int    // indexes of the Eventually properties
	holds []bitset // per property: whether it holds in each state
	// usable: expanded, and nothing hidden (see Fairness.Hidden).
	usable     bitset
	edgeEnd    []uint64 // per expanded state, the end of its edges
	targets    []uint32 // noTarget: a state the search did not store
	keys       []uint32 // fair key, interned (keyIDs); 0 for an action that is not fair
	keyIDs     map[uint64]uint32
	index      [shardCount]indexTable
	levelStart []int64 // global index of each level's first state
}

func newLiveGraph(props []int) *liveGraph {
	g := &liveGraph{props: props, holds: make([]bitset, len(props)), keyIDs: map[uint64]uint32{}}
	for i := range g.index {
		g.index[i] = newIndexTable()
	}
	return g
}

// eventuallyProps lists the indexes of ps that are Eventually properties.
func eventuallyProps[S any](ps []Property[S]) []int {
	var out []int
	for i, p := range ps {
		if p.Kind == property.Eventually {
			out = append(out, i)
		}
	}
	return out
}

// fairKey is a's key: 0 when a is not fair (the graph interns the rest).
func (c *checker[S, A]) fairKey(a A) uint64 {
	if c.fairness != nil {
		key, fair := c.fairness.FairKey(a)
		if !fair {
			return 0
		}
		return normalizeFingerprint(key)
	}
	h := fnv.New64a()
	h.Write([]byte(c.describeAction(a)))
	return normalizeFingerprint(h.Sum64())
}

// visible reports whether s's enabled actions are all listed.
func (c *checker[S, A]) visible(s S) bool {
	return c.fairness == nil || !c.fairness.Hidden(s)
}

func (g *liveGraph) states() int { return len(g.edgeEnd) }

// edges returns the range of state v's edges ([0, 0) when v was not
// expanded).
func (g *liveGraph) edges(v uint32) (lo, hi uint64) {
	if int(v) >= len(g.edgeEnd) {
		return 0, 0
	}
	if v > 0 {
		lo = g.edgeEnd[v-1]
	}
	return lo, g.edgeEnd[v]
}

func (g *liveGraph) bytes() int64 {
	n := int64(len(g.edgeEnd))*8 + int64(len(g.targets)+len(g.keys))*4 + int64(len(g.keyIDs))*keyIDBytesEstimate + g.usable.bytes()
	for _, h := range g.holds {
		n += h.bytes()
	}
	for i := range g.index {
		n += g.index[i].bytes()
	}
	return n
}

// chunkLive is what phase A records for the liveness graph: per parent of
// the chunk, its edges' target fingerprints and fair keys.
type chunkLive struct {
	count   []uint32 // edges per parent
	usable  []bool
	fps     []uint64
	keys    []uint64
	targets []uint32 // fps resolved to state indexes
	placed  []uint32 // per candidate: its index in the next level, or noTarget
	holds   [][]bool // per property, per accepted candidate in order
}

func (l *chunkLive) reset() {
	if l == nil {
		return
	}
	l.count, l.usable = l.count[:0], l.usable[:0]
	l.fps, l.keys, l.targets, l.placed = l.fps[:0], l.keys[:0], l.targets[:0], l.placed[:0]
}

// parent starts the edges of the next parent.
func (l *chunkLive) parent(usable bool) {
	if l != nil {
		l.count = append(l.count, 0)
		l.usable = append(l.usable, usable)
	}
}

func (l *chunkLive) edge(fp, key uint64) {
	if l != nil {
		l.count[len(l.count)-1]++
		l.fps = append(l.fps, fp)
		l.keys = append(l.keys, key)
	}
}

// intern returns key's id in the graph, from 1; 0 stays 0 (not fair).
func (g *liveGraph) intern(key uint64) uint32 {
	if key == 0 {
		return 0
	}
	id, ok := g.keyIDs[key]
	if !ok {
		id = uint32(len(g.keyIDs) + 1)
		assert.That(id != 0, "explore: more than 2^32-1 distinct fair keys")
		g.keyIDs[key] = id
	}
	return id
}

// bitset is a growable set of small integers.
type bitset struct {
	words []uint64
	n     int
}

func (b *bitset) add(v bool) {
	if b.n%64 == 0 {
		b.words = append(b.words, 0)
	}
	if v {
		b.words[b.n/64] |= 1 << (b.n % 64)
	}
	b.n++
}

func (b *bitset) has(i uint32) bool {
	return int(i) < b.n && b.words[i/64]>>(i%64)&1 == 1
}

func (b *bitset) bytes() int64 { return int64(len(b.words)) * 8 }

func (b *bitset) count() int64 {
	n := 0
	for _, w := range b.words {
		n += bits.OnesCount64(w)
	}
	return int64(n)
}

// indexTable maps fingerprints to state indexes: open addressing with
// linear probing, fingerprints and indexes in parallel arrays (12 bytes a
// slot).
type indexTable struct {
	fps   []uint64
	index []uint32
	count int
}

const (
	indexTableMinSlots       = 1 << 6
	indexTableLoadMaxPercent = 75
)

func newIndexTable() indexTable {
	return indexTable{fps: make([]uint64, indexTableMinSlots), index: make([]uint32, indexTableMinSlots)}
}

func (t *indexTable) slot(fp uint64) int {
	return int((fp * 0x9e3779b97f4a7c15) >> (64 - bits.TrailingZeros(uint(len(t.fps)))))
}

func (t *indexTable) insert(fp uint64, v uint32) {
	if (t.count+1)*100 > len(t.fps)*indexTableLoadMaxPercent {
		t.grow()
	}
	mask := len(t.fps) - 1
	for i := t.slot(fp); ; i = (i + 1) & mask {
		if t.fps[i] == 0 {
			t.fps[i], t.index[i] = fp, v
			t.count++
			return
		}
		assert.That(t.fps[i] != fp, "explore: state stored twice in the liveness graph")
	}
}

func (t *indexTable) lookup(fp uint64) uint32 {
	mask := len(t.fps) - 1
	for i := t.slot(fp); ; i = (i + 1) & mask {
		switch t.fps[i] {
		case 0:
			return noTarget
		case fp:
			return t.index[i]
		}
	}
}

func (t *indexTable) grow() {
	old := *t
	t.fps, t.index, t.count = make([]uint64, 2*len(old.fps)), make([]uint32, 2*len(old.fps)), 0
	for i, fp := range old.fps {
		if fp != 0 {
			t.insert(fp, old.index[i])
		}
	}
}

func (t *indexTable) bytes() int64 { return int64(len(t.fps)) * 12 }

// sortedUnique sorts keys and drops repeats and zeros (keys of actions that
// are not fair).
func sortedUnique(keys []uint32) []uint32 {
	slices.Sort(keys)
	keys = slices.Compact(keys)
	if len(keys) > 0 && keys[0] == 0 {
		keys = keys[1:]
	}
	return keys
}
