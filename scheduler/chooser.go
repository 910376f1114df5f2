package scheduler

import (
	"fmt"
	"math/rand/v2"
)

// Purpose names why a choice is made. Each purpose has its own random stream.
type Purpose uint8

// The purposes. New purposes go at the end: the numbering is part of the trace
// format and of every seed's meaning.
const (
	Delay    Purpose = iota // network delay of one message
	Drop                    // whether a message is lost
	Dup                     // whether a message is duplicated
	Rand                    // an agent's own randomness (election timeouts, ...)
	Workload                // client operations: which, when, on which key
	Fault                   // the nemesis: which faults, when, where
	Torn                    // how many unsynced writes survive a crash
	Order                   // which enabled action runs next (exploration: one per step of a counterexample)
	Swarm                   // what -swarm-cluster draws about the setup (nodes, clients, servers down for good), from its own salted seed
	purposeCount
)

var purposeNames = [purposeCount]string{"delay", "drop", "dup", "rand", "workload", "fault", "torn", "order", "swarm"}

func (p Purpose) String() string {
	if p < purposeCount {
		return purposeNames[p]
	}
	return fmt.Sprintf("purpose(%d)", uint8(p))
}

// ParsePurpose is the inverse of Purpose.String.
func ParsePurpose(s string) (Purpose, error) {
	for i, name := range purposeNames {
		if name == s {
			return Purpose(i), nil
		}
	}
	return 0, fmt.Errorf("unknown choice purpose %q", s)
}

// Chooser makes every nondeterministic choice of a run.
type Chooser interface {
	// Choose returns a value in [0, n). n is at least 1. Zero is the simplest answer:
	// the shortest delay, no drop, the first option.
	Choose(p Purpose, n uint64) uint64
}

// Choice is one answered question, as recorded in a trace.
type Choice struct {
	Purpose Purpose
	N       uint64
	Value   uint64
}

func (c Choice) String() string { return fmt.Sprintf("%s:%d/%d", c.Purpose, c.Value, c.N) }

// Seeded draws each purpose from its own PCG stream derived from one seed.
type Seeded struct {
	streams [purposeCount]*rand.Rand
}

// NewSeeded returns a chooser whose every answer is a function of seed alone.
func NewSeeded(seed uint64) *Seeded {
	s := &Seeded{}
	for p := range s.streams {
		// The second PCG word separates purposes; the constant spreads small seeds.
		s.streams[p] = rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15*uint64(p+1)))
	}
	return s
}

// Choose implements Chooser.
func (s *Seeded) Choose(p Purpose, n uint64) uint64 {
	if n <= 1 {
		return 0
	}
	return s.streams[p].Uint64N(n)
}

// Recorder passes choices through to another chooser and logs them.
type Recorder struct {
	Inner Chooser
	Log   []Choice
}

// Choose implements Chooser.
func (r *Recorder) Choose(p Purpose, n uint64) uint64 {
	v := r.Inner.Choose(p, n)
	r.Log = append(r.Log, Choice{Purpose: p, N: n, Value: v})
	return v
}

// Replay answers from a recorded log. Each purpose replays its own subsequence of
// the log, in order, just as Seeded draws each purpose from its own stream: a
// shrinker that deletes or simplifies the fault choices leaves every delay where it
// was. A value out of range is clamped, and once a purpose's choices run out every
// answer is the Simplest. Mismatch notes the first place where the question asked differs
// from the one recorded (a code change).
type Replay struct {
	log      []Choice
	queues   [purposeCount][]int // indexes into log, per purpose
	next     [purposeCount]int
	used     int
	mismatch int // index into log of the first mismatching choice, or -1
}

// NewReplay returns a chooser replaying log.
func NewReplay(log []Choice) *Replay {
	r := &Replay{log: log, mismatch: -1}
	for i, c := range log {
		if c.Purpose < purposeCount {
			r.queues[c.Purpose] = append(r.queues[c.Purpose], i)
		}
	}
	return r
}

// Choose implements Chooser.
func (r *Replay) Choose(p Purpose, n uint64) uint64 {
	r.used++
	q := r.queues[p]
	if r.next[p] >= len(q) {
		r.next[p]++
		return Simplest(p, n)
	}
	i := q[r.next[p]]
	r.next[p]++
	c := r.log[i]
	if c.N != n && (r.mismatch < 0 || i < r.mismatch) {
		r.mismatch = i
	}
	if n <= 1 {
		return 0
	}
	return min(c.Value, n-1)
}

// Mismatch returns the log index of the first choice whose question differed
// from the recorded one, and whether there was one.
func (r *Replay) Mismatch() (int, bool) { return r.mismatch, r.mismatch >= 0 }

// Used reports how many choices were asked for (may exceed the log's length).
func (r *Replay) Used() int { return r.used }

// Exhausted reports whether any purpose asked for more choices than recorded.
func (r *Replay) Exhausted() bool {
	for p := range r.queues {
		if r.next[p] > len(r.queues[p]) {
			return true
		}
	}
	return false
}

// Simplest is the answer to a question of purpose p with n options that
// changes least: 0 (the shortest delay, the first option), except for a
// loss or a duplication, which happens when the answer is below the rate in
// force, so that 0 would make it happen: there n-1, which no rate below
// 100% turns into a loss or a duplicate. Replays answer it once their log
// runs out, and a shrinker simplifies a schedule towards it.
func Simplest(p Purpose, n uint64) uint64 {
	if n > 1 && (p == Drop || p == Dup) {
		return n - 1
	}
	return 0
}

// IsSimplest reports whether c's answer is Simplest.
func (c Choice) IsSimplest() bool { return c.Value == Simplest(c.Purpose, c.N) }

// Zero answers 0 to everything: the simplest schedule. The model checker uses it
// for agent randomness, which exploration makes irrelevant.
type Zero struct{}

// Choose implements Chooser.
func (Zero) Choose(Purpose, uint64) uint64 { return 0 }
