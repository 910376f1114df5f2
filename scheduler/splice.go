package scheduler

// Splice answers a recorded prefix of choices in the order they were asked,
// then draws every later answer from a Seeded stream: the run re-executes a
// recorded run up to a point and goes on with fresh randomness from there.
// Search strategies use it to branch from a state a run reached without
// snapshotting the world (re-execution is the snapshot). A value out of range
// is clamped, as Replay does; a question that differs from the recorded one
// (another purpose or range) is a sign that the run diverged, noted by
// Diverged, and from then on answers come from the stream.
//
// A spliced run records like any other (Recorder), and since each purpose's
// answers are then exactly the ones recorded, its trace replays with Replay.
type Splice struct {
	prefix   []Choice
	next     int
	diverged bool
	rest     *Seeded
}

// NewSplice returns a chooser that answers prefix, then from NewSeeded(seed).
func NewSplice(prefix []Choice, seed uint64) *Splice {
	return &Splice{prefix: prefix, rest: NewSeeded(seed)}
}

// Choose implements Chooser.
func (s *Splice) Choose(p Purpose, n uint64) uint64 {
	if !s.diverged && s.next < len(s.prefix) {
		c := s.prefix[s.next]
		s.next++
		if c.Purpose == p && c.N == n {
			if n <= 1 {
				return 0
			}
			return min(c.Value, n-1)
		}
		s.diverged = true
	}
	return s.rest.Choose(p, n)
}

// Diverged reports whether a question differed from the recorded prefix.
func (s *Splice) Diverged() bool { return s.diverged }

// InPrefix reports whether the next answer still comes from the prefix.
func (s *Splice) InPrefix() bool { return !s.diverged && s.next < len(s.prefix) }
