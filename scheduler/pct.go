package scheduler

import (
	"math/rand/v2"
	"slices"
)

// LinkChooser is an optional interface of a Chooser that wants to know which
// link a message delay is for, and when it is sent. The world calls ChooseDelay
// instead of Choose(Delay, n) when its chooser implements it, and records the
// answer as an ordinary Delay choice, so a trace made with a LinkChooser
// replays with Replay.
type LinkChooser interface {
	// ChooseDelay returns a value in [0, n) for a message from → to sent at
	// virtual time now (nanoseconds).
	ChooseDelay(from, to int32, now int64, n uint64) uint64
}

// PCT limits.
const (
	// PCTDepthMax bounds the bug depth d: d-1 change points are drawn.
	PCTDepthMax = 64
	// pctNodesMax bounds the nodes PCT ranks, so a rank is O(pctNodesMax).
	pctNodesMax = 1024
)

// PCT is Probabilistic Concurrency Testing (Burckhardt, Kothari, Musuvathi and
// Nagarakatte, ASPLOS 2010) adapted to a timed simulator. PCT gives each thread a
// random priority, always runs the highest-priority enabled thread, and at d-1
// random steps lowers the running thread below every other: a bug of depth d is
// found with probability at least 1/(n k^(d-1)).
//
// Here nodes take the place of threads and message delays the place of the
// run queue. Every node gets a random priority when first seen; a message
// travels in the band of its lower-priority end: the pair of highest-priority
// nodes talks at the minimum delay, messages to or from the lowest-priority node
// take the longest, with random jitter only within a band. So a high-priority
// node runs ahead and low-priority nodes lag behind, which is PCT's schedule
// shape in a world where every node is always enabled. The d-1 change points are
// virtual times drawn uniformly over the safety phase; at each, the node that
// then has the highest priority drops below every other (PCT's d-i priorities),
// as when a leader is suddenly starved. Every other choice comes from Seeded,
// and everything PCT draws comes from its own seeded streams, so a run is a
// function of the seed; a Recorder records the delays it answers, and a
// trace replays with Replay.
type PCT struct {
	seeded  *Seeded
	rng     *rand.Rand // priorities, change points, jitter
	prio    []int64    // by node; 0 means not seen yet
	seen    int        // nodes with a priority
	changes []int64    // change point times, ascending
	next    int        // index of the next change point
	lowest  int64      // the priority given at the last change point
}

// NewPCT returns a PCT chooser for a run whose change points fall in
// [0, horizon) virtual nanoseconds, with bug depth d (d-1 change points).
func NewPCT(seed uint64, depth int, horizon int64) *PCT {
	if depth < 1 || depth > PCTDepthMax || horizon <= 0 {
		panic("scheduler.NewPCT: depth must be in 1..PCTDepthMax and horizon positive")
	}
	p := &PCT{
		seeded: NewSeeded(seed),
		// A stream of its own, apart from the Seeded purposes, so that PCT and
		// seeded runs of one seed draw the same agent randomness and faults.
		rng: rand.New(rand.NewPCG(seed, 0x5ca1ab1e0ddba11)),
	}
	for range depth - 1 {
		p.changes = append(p.changes, p.rng.Int64N(horizon))
	}
	slices.Sort(p.changes)
	return p
}

// Choose implements Chooser: every purpose but link delays is seeded.
func (p *PCT) Choose(purpose Purpose, n uint64) uint64 { return p.seeded.Choose(purpose, n) }

// ChooseDelay implements LinkChooser.
func (p *PCT) ChooseDelay(from, to int32, now int64, n uint64) uint64 {
	for p.next < len(p.changes) && p.changes[p.next] <= now {
		p.demoteHighest()
		p.next++
	}
	if n <= 1 {
		return 0
	}
	p.see(from)
	p.see(to)
	// Rank of the lower-priority end: 0 for the highest-priority node.
	low := min(p.priority(from), p.priority(to))
	rank := 0
	for _, q := range p.prio {
		if q != 0 && q > low {
			rank++
		}
	}
	bands := uint64(max(p.seen, 1))
	band := n / bands
	if band == 0 {
		return min(uint64(rank), n-1)
	}
	return uint64(rank)*band + p.rng.Uint64N(band)
}

// see gives a node seen for the first time its priority. External senders
// (negative ids) have none.
func (p *PCT) see(id int32) {
	if id < 0 || id >= pctNodesMax {
		return
	}
	for int(id) >= len(p.prio) {
		p.prio = append(p.prio, 0)
	}
	if p.prio[id] == 0 {
		// Positive, distinct with overwhelming probability; ties rank alike.
		p.prio[id] = 1 + p.rng.Int64N(1<<40)
		p.seen++
	}
}

func (p *PCT) priority(id int32) int64 {
	if id < 0 || int(id) >= len(p.prio) {
		return 1 << 41 // outside the world: never the slow end
	}
	return p.prio[id]
}

// demoteHighest gives the highest-priority node a priority below every other.
func (p *PCT) demoteHighest() {
	best := -1
	for i, q := range p.prio {
		if q != 0 && (best < 0 || q > p.prio[best]) {
			best = i
		}
	}
	if best >= 0 {
		p.lowest--
		p.prio[best] = p.lowest
	}
}

// Priorities returns the current priority of each node seen so far (0: not
// seen), for tests and reports.
func (p *PCT) Priorities() []int64 { return slices.Clone(p.prio) }

// ChooseDelay makes a Recorder a LinkChooser: it forwards link delays to an
// inner LinkChooser (or to Choose(Delay, n)) and logs them as Delay choices.
func (r *Recorder) ChooseDelay(from, to int32, now int64, n uint64) uint64 {
	v := ChooseDelay(r.Inner, from, to, now, n)
	r.Log = append(r.Log, Choice{Purpose: Delay, N: n, Value: v})
	return v
}

// ChooseDelay asks c for a link delay: through LinkChooser when c implements
// it, else as Choose(Delay, n).
func ChooseDelay(c Chooser, from, to int32, now int64, n uint64) uint64 {
	if lc, ok := c.(LinkChooser); ok {
		return lc.ChooseDelay(from, to, now, n)
	}
	return c.Choose(Delay, n)
}
