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

// purposes in the order the schedule passes zero them: the simplest network
// first (no loss, no duplicates, minimum delay), then agents' and clients'.
var purposes = []scheduler.Purpose{scheduler.Drop, scheduler.Dup, scheduler.Delay, scheduler.Torn,
	scheduler.Rand, scheduler.Workload, scheduler.Order, scheduler.Fault}

// zeroChoices sets choices to 0, the simplest answer: all of one purpose, then
// halves, quarters, ... of the log.
func (s *shrinker) zeroChoices() {
	for _, p := range purposes {
		c := s.cur
		c.Choices = slices.Clone(c.Choices)
		changed := false
		for i := range c.Choices {
			if c.Choices[i].Purpose == p && c.Choices[i].Value != 0 {
				c.Choices[i].Value, changed = 0, true
			}
		}
		if changed {
			s.offerSchedule(c, "every "+p.String()+" choice set to 0")
		}
	}
	s.chunks("set to 0", func(c Case, lo, hi int) (Case, bool) {
		if !slices.ContainsFunc(c.Choices[lo:hi], func(c scheduler.Choice) bool { return c.Value != 0 }) {
			return c, false
		}
		c.Choices = slices.Clone(c.Choices)
		for i := lo; i < hi; i++ {
			c.Choices[i].Value = 0
		}
		return c, true
	})
}

// deleteChoices deletes chunks of the log: the askers concerned replay their
// later choices earlier, and answer 0 once they run out.
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

// simpler orders choice logs: fewer nonzero answers, then smaller answers
// (each as a fraction of its range).
func simpler(a, b []scheduler.Choice) bool {
	na, sa := weight(a)
	nb, sb := weight(b)
	return na < nb || (na == nb && sa < sb)
}

func weight(log []scheduler.Choice) (nonzero int, sum float64) {
	for _, c := range log {
		if c.Value != 0 {
			nonzero++
			sum += float64(c.Value) / float64(c.N)
		}
	}
	return nonzero, sum
}
