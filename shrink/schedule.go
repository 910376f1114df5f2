package shrink

import (
	"fmt"
	"slices"

	"github.com/orrery-sim/orrery/scheduler"
)

// chunksMax bounds how finely the schedule passes cut the choice log: below
// log/chunksMax choices per chunk they stop, so a pass costs at most about
// 2×chunksMax runs however long the log.
const chunksMax = 256

// purposes in the order the schedule passes simplify them: the simplest
// network first (no loss, no duplicates, minimum delay), then agents' and
// clients'.
var purposes = []scheduler.Purpose{scheduler.Drop, scheduler.Dup, scheduler.Delay, scheduler.Torn,
	scheduler.Rand, scheduler.Workload, scheduler.Order, scheduler.Fault}

// simplify returns c's log with choices lo..hi-1 of the purposes keep
// accepts set to their simplest answer (scheduler.Simplest: 0, but no loss
// or duplicate for those), and whether any changed.
func simplify(c Case, lo, hi int, keep func(scheduler.Purpose) bool) (Case, bool) {
	if !slices.ContainsFunc(c.Choices[lo:hi], func(ch scheduler.Choice) bool { return keep(ch.Purpose) && !ch.IsSimplest() }) {
		return c, false
	}
	c.Choices = slices.Clone(c.Choices)
	for i := lo; i < hi; i++ {
		if ch := &c.Choices[i]; keep(ch.Purpose) {
			ch.Value = scheduler.Simplest(ch.Purpose, ch.N)
		}
	}
	return c, true
}

// zeroChoices sets choices to the simplest answer: all of one purpose, then
// halves, quarters, ... of the log.
func (s *shrinker) zeroChoices() {
	for _, p := range purposes {
		if c, changed := simplify(s.cur, 0, len(s.cur.Choices), func(q scheduler.Purpose) bool { return q == p }); changed {
			s.offerSchedule(c, "every "+p.String()+" choice simplified")
		}
	}
	s.chunks("simplified", func(c Case, lo, hi int) (Case, bool) {
		return simplify(c, lo, hi, func(scheduler.Purpose) bool { return true })
	})
}

// farChoices sets chunks of the log to the far end of their range: the
// latest timer or operation (an agent's random timeout, a client's pause),
// the longest delay, a lost message. Simplifying never tries these, yet a
// timer pushed past the failure, or a message that never arrives, takes
// whatever it set off out of the story: a node that would campaign at the
// same moment as the one the story needs, a reply that starts a round
// nobody reads. A candidate counts only with fewer events, so a simpler
// schedule that keeps the count wins later, and the passes cannot cycle.
func (s *shrinker) farChoices() {
	s.chunks("set to the far end", func(c Case, lo, hi int) (Case, bool) {
		changed := false
		for i := lo; i < hi && !changed; i++ {
			ch := c.Choices[i]
			changed = farthest(ch) != ch.Value
		}
		if !changed {
			return c, false
		}
		c.Choices = slices.Clone(c.Choices)
		for i := lo; i < hi; i++ {
			c.Choices[i].Value = farthest(c.Choices[i])
		}
		return c, true
	})
}

// farthest is the answer to ch's question at the far end from the simplest:
// the last option of a delay, an agent's randomness or the workload, a loss;
// other purposes keep their answer.
func farthest(ch scheduler.Choice) uint64 {
	switch {
	case ch.N <= 1:
		return ch.Value
	case ch.Purpose == scheduler.Delay || ch.Purpose == scheduler.Rand || ch.Purpose == scheduler.Workload:
		return ch.N - 1
	case ch.Purpose == scheduler.Drop:
		return 0
	}
	return ch.Value
}

// deleteChoices deletes chunks of the log: the askers concerned replay their
// later choices earlier, and answer the simplest once they run out.
func (s *shrinker) deleteChoices() {
	s.chunks("deleted", func(c Case, lo, hi int) (Case, bool) {
		c.Choices = slices.Delete(slices.Clone(c.Choices), lo, hi)
		if len(c.keys) > 0 {
			c.keys = slices.Delete(slices.Clone(c.keys), lo, hi)
		}
		if len(c.times) > 0 {
			c.times = slices.Delete(slices.Clone(c.times), lo, hi)
		}
		return c, true
	})
}

// chunks offers edit(log, lo, hi) for chunks of half the log, then a quarter,
// ..., down to one choice or log/chunksMax. The log is re-read after every
// accepted edit, since a re-recorded log may differ in length.
func (s *shrinker) chunks(what string, edit func(c Case, lo, hi int) (Case, bool)) {
	floor := max(1, len(s.cur.Choices)/chunksMax)
	for size := len(s.cur.Choices) / 2; size >= floor && s.budgetLeft(); size /= 2 {
		for lo := 0; lo < len(s.cur.Choices) && s.budgetLeft(); lo += size {
			hi := min(lo+size, len(s.cur.Choices))
			c, ok := edit(s.cur, lo, hi)
			if !ok {
				continue
			}
			s.offerSchedule(c, fmt.Sprintf("choices %d..%d %s", lo, hi-1, what))
		}
	}
}

// simpler orders choice logs: fewer answers that are not the simplest, then
// answers nearer the simplest (each as a fraction of its range).
func simpler(a, b []scheduler.Choice) bool {
	na, sa := weight(a)
	nb, sb := weight(b)
	return na < nb || (na == nb && sa < sb)
}

func weight(log []scheduler.Choice) (notSimplest int, sum float64) {
	for _, c := range log {
		if !c.IsSimplest() {
			notSimplest++
			d := c.Value
			if s := scheduler.Simplest(c.Purpose, c.N); s > 0 {
				d = s - min(c.Value, s)
			}
			sum += float64(d) / float64(c.N)
		}
	}
	return notSimplest, sum
}
