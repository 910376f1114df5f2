package shrink

import (
	"fmt"
	"slices"

	"github.com/orrery-sim/orrery/faults"
	"github.com/orrery-sim/orrery/harness"
	"github.com/orrery-sim/orrery/sim"
)

// explicitPlan turns a drawn nemesis plan into plan text, so that its entries
// can be deleted one by one. The rest of the schedule stays put: Replay feeds
// each purpose its own choices, and the fault choices are simply not asked.
func (s *shrinker) explicitPlan() {
	if !isDrawn(s.cur.Config.Faults) {
		return
	}
	plan, err := Plan(s.cur)
	if err != nil {
		return
	}
	c := s.cur
	c.Config.Faults = planText(plan)
	if !s.offerStructure(c, fmt.Sprintf("drawn plan written out (%d faults)", len(plan))) {
		s.progressf("shrink: the drawn plan, written out, does not fail the same way; faults stay drawn")
	}
}

// plan returns the current explicit plan, or false for a drawn one.
func (s *shrinker) plan() (faults.Plan, bool) {
	if isDrawn(s.cur.Config.Faults) {
		return nil, false
	}
	plan, err := Plan(s.cur)
	return plan, err == nil
}

// withPlan is the current case with another plan.
func (s *shrinker) withPlan(p faults.Plan) Case {
	c := s.cur
	c.Config.Faults = planText(p)
	return c
}

// withSafety is the current case with a shorter safety phase and without the
// plan entries that would no longer apply.
func (s *shrinker) withSafety(t sim.Time) Case {
	c := s.cur
	if plan, ok := s.plan(); ok {
		c = s.withPlan(slices.DeleteFunc(slices.Clone(plan), func(e faults.Entry) bool { return e.At >= t }))
	}
	c.Config.Safety = t
	return c
}

// cutSafetyAtFailure ends the safety phase just after a failure inside it:
// nothing later matters, except that faults scheduled past it go away.
func (s *shrinker) cutSafetyAtFailure() {
	t := roundUp(s.size.At+1, sim.Millisecond)
	if t < s.cur.Config.Safety {
		s.offerStructure(s.withSafety(t), "safety phase ends at the failure, "+t.String())
	}
}

// halveSafety shortens the safety phase (which also shortens the workload and
// the nemesis) by halves, then by smaller steps.
func (s *shrinker) halveSafety() {
	s.shorten(s.cur.Config.Safety, func(t sim.Time) Case { return s.withSafety(t) }, "safety phase")
}

// endAtFailure ends a run that fails a safety property after its safety phase
// (a check of the whole client history, judged at the end) at the first event
// after which it already fails: a history whose prefix is not linearizable is
// not linearizable either, so the end-of-run check fails there too, and the
// run need not go on until the liveness phase's properties hold. The prefix
// is the same run's (the same choices), so a binary search over the event
// count finds that event in a few runs; a candidate counts only if it fails
// the same way in fewer events.
func (s *shrinker) endAtFailure() {
	if s.want.Verdict != sim.VerdictSafety || s.size.At < s.cur.Config.Safety || s.size.Events < 3 {
		return
	}
	lo, hi := uint64(1), s.size.Events-1 // the fail event is the last one
	if s.cur.Config.EndAfter > 0 {
		hi = min(hi, s.cur.Config.EndAfter)
	}
	var best Case
	var bestSize Size
	found := false
	for lo < hi && s.budgetLeft() {
		mid := lo + (hi-lo)/2
		c := s.cur
		c.Config.EndAfter = mid
		if nc, size, ok := s.try(c, s.size.Events-1); ok {
			hi, best, bestSize, found = mid, nc, size, true
		} else {
			lo = mid + 1
		}
	}
	if found { // fewer events than now: try's bound
		s.accept(best, bestSize, fmt.Sprintf("run ends after event %d", best.Config.EndAfter))
	}
}

// halveLiveness shortens the liveness phase. For a run that fails a safety
// property after the safety phase, a shorter phase is simply a shorter run.
// For a liveness failure the bound is what failed, and a property that fails
// within a shorter bound may only be slow, so a candidate with a shorter bound
// counts only if it also fails with the original bound (try checks it: the
// same run, its phase lengthened back): the short run shows the story, and
// the property still does not hold when the original bound runs out.
func (s *shrinker) halveLiveness() {
	if s.want.Verdict != sim.VerdictLiveness && s.size.At < s.cur.Config.Safety {
		return // the run never reaches the phase
	}
	s.shorten(s.cur.Config.Liveness, func(t sim.Time) Case {
		c := s.cur
		c.Config.Liveness = t
		return c
	}, "liveness phase")
}

// shorten tries length×1/2, ×3/4, ×7/8 (rounded to milliseconds) and keeps the
// first that still fails, while one does.
func (s *shrinker) shorten(length sim.Time, with func(sim.Time) Case, what string) {
	for progress := true; progress && s.budgetLeft(); {
		progress = false
		for _, f := range [][2]sim.Time{{1, 2}, {3, 4}, {7, 8}} {
			t := max(roundUp(length*f[0]/f[1], sim.Millisecond), sim.Millisecond)
			if t >= length {
				continue
			}
			if s.offerStructure(with(t), what+" "+t.String()) {
				length, progress = t, true
				break
			}
		}
	}
}

func roundUp(t, unit sim.Time) sim.Time { return (t + unit - 1) / unit * unit }

// deleteFaults removes plan entries by delta debugging.
func (s *shrinker) deleteFaults() {
	plan, ok := s.plan()
	if !ok || len(plan) == 0 {
		return
	}
	ddmin(len(plan), func(keep []int) bool {
		sub := make(faults.Plan, len(keep))
		for i, k := range keep {
			sub[i] = plan[k]
		}
		return s.offerStructure(s.withPlan(sub), fmt.Sprintf("%d of %d faults kept", len(keep), len(plan)))
	})
}

// earlierFaults pulls faults earlier in virtual time, so that the failure can
// happen earlier: the whole plan at half its times, then each entry as early
// as the entry before it, or halfway there.
func (s *shrinker) earlierFaults() {
	plan, ok := s.plan()
	if !ok || len(plan) == 0 {
		return
	}
	half := slices.Clone(plan)
	moved := false
	for i := range half {
		half[i].At = max(half[i].At/2/sim.Millisecond*sim.Millisecond, earliestFault)
		moved = moved || half[i].At != plan[i].At
	}
	// Offer only a plan that moved: the same plan again "succeeds", and
	// counting it as a gain would run the passes round after round for nothing.
	if moved && s.offerEarlier(s.withPlan(half), "faults at half their times") {
		plan = half
	}
	plan = s.shiftedPlan(plan)
	if s.attempt%2 == 1 {
		// Every other search: a different way to move the plan gives the
		// chaotic search another basin (Shrink keeps the best).
		plan = s.closedGaps(plan)
	}
	for i := range plan {
		prev := earliestFault
		if i > 0 {
			prev = max(plan[i-1].At, earliestFault)
		}
		plan = s.earlierEntry(plan, i, prev)
	}
}

// shiftedPlan moves every entry earlier by one amount, as far as the run
// still fails (by halves, in milliseconds): the faults keep their spacing,
// so a story that needs a partition to last as long as an election keeps
// it, and the quiet time before the first fault goes.
func (s *shrinker) shiftedPlan(plan faults.Plan) faults.Plan {
	first := plan[0].At
	for _, e := range plan {
		first = min(first, e.At)
	}
	shift := func(d sim.Time) (faults.Plan, bool) {
		moved := slices.Clone(plan)
		for i := range moved {
			moved[i].At = max(moved[i].At-d, earliestFault)
		}
		return moved, s.offerEarlier(s.withPlan(moved), "faults "+faults.FormatDuration(d)+" earlier")
	}
	lo, hi := sim.Time(0), (first-earliestFault)/sim.Millisecond*sim.Millisecond // lo: no shift, which fails
	if hi <= 0 {
		return plan
	}
	if moved, ok := shift(hi); ok {
		return moved
	}
	best := plan
	for hi-lo > sim.Millisecond && s.budgetLeft() {
		mid := (lo + hi) / 2 / sim.Millisecond * sim.Millisecond
		if mid <= lo {
			break
		}
		if moved, ok := shift(mid); ok {
			best, lo = moved, mid
		} else {
			hi = mid
		}
	}
	return best
}

// closedGaps moves each tail of the plan (an entry and every one after it)
// earlier together, as far as the run still fails (by halves, in
// milliseconds), down to the entry before it: the tail keeps its spacing, so
// a crash keeps its length and a partition still outlasts an election, and a
// quiet stretch between two episodes goes, which moving one entry at a time
// cannot do without breaking the episode apart. Clients that start late
// within the tail start that much earlier too, so that the operations the
// story needs still meet its faults.
func (s *shrinker) closedGaps(plan faults.Plan) faults.Plan {
	for i := 1; i < len(plan) && s.budgetLeft(); i++ {
		from, prev := plan[i].At, max(plan[i-1].At, earliestFault)
		if from-prev < sim.Millisecond {
			continue
		}
		base, baseStarts := plan, s.cur.Config.StartAt
		at := func(t sim.Time) (faults.Plan, bool) {
			d := from - t
			moved := slices.Clone(base)
			for j := i; j < len(moved); j++ {
				moved[j].At -= d
			}
			c := s.withPlan(moved)
			c.Config.StartAt = startsShifted(baseStarts, from, d)
			return moved, s.offerEarlier(c, fmt.Sprintf("faults from %s on %s earlier", faults.FormatDuration(from), faults.FormatDuration(d)))
		}
		plan = s.leastFailing(plan, prev, from, at)
	}
	return plan
}

// startsShifted moves the late starts (Config.StartAt) at or after from
// earlier by d.
func startsShifted(text string, from, d sim.Time) string {
	starts, err := harness.ParseStarts(text)
	if err != nil || len(starts) == 0 {
		return text
	}
	for _, st := range starts {
		if st.At >= from {
			starts = starts.With(st.Agent, st.At-d)
		}
	}
	return starts.String()
}

// earliestFault is as early as the shrinker moves a fault: not at time 0,
// while the agents' first Start events are still queued (a restart there has
// been seen to make the engine re-queue an event forever).
const earliestFault = sim.Millisecond

// earlierEntry moves entry i as early as prev if that still fails, else
// searches (by halves, in milliseconds) for the earliest time that does.
func (s *shrinker) earlierEntry(plan faults.Plan, i int, prev sim.Time) faults.Plan {
	at := func(t sim.Time) (faults.Plan, bool) {
		moved := slices.Clone(plan)
		moved[i].At = t
		return moved, s.offerEarlier(s.withPlan(moved), fmt.Sprintf("%s earlier, at %s", moved[i].Fault, faults.FormatDuration(t)))
	}
	if plan[i].At <= prev || plan[i].At <= earliestFault {
		return plan
	}
	return s.leastFailing(plan, prev, plan[i].At, at)
}

// leastFailing offers try(lo) and, if that does not fail, searches (by
// halves, in milliseconds) between lo and hi, the value now, for the least
// at which try's candidate still fails. It returns the plan of the last
// candidate accepted, or plan.
func (s *shrinker) leastFailing(plan faults.Plan, lo, hi sim.Time, try func(sim.Time) (faults.Plan, bool)) faults.Plan {
	if p, ok := try(lo); ok {
		return p
	}
	for hi-lo > sim.Millisecond && s.budgetLeft() {
		mid := (lo + hi) / 2 / sim.Millisecond * sim.Millisecond
		if mid <= lo {
			break
		}
		if p, ok := try(mid); ok {
			plan, hi = p, mid
		} else {
			lo = mid
		}
	}
	return plan
}

// offerEarlier accepts a plan with earlier faults (progress by construction)
// if its run is no longer than the original: a move that lengthens the story
// a little often lets the next cut at the failure shorten it a lot.
func (s *shrinker) offerEarlier(c Case, what string) bool {
	nc, size, ok := s.try(c, s.before.Events)
	if !ok {
		return false
	}
	s.accept(nc, size, what)
	return true
}

// ddmin is Zeller's delta debugging over n items (complements only): it calls
// test with ever smaller subsets (indexes in order) and narrows to those for
// which test reports success, until removing any single item fails.
func ddmin(n int, test func(keep []int) bool) {
	keep := make([]int, n)
	for i := range keep {
		keep[i] = i
	}
	if test(nil) {
		return
	}
	chunks := 2
	for len(keep) > 1 {
		size := (len(keep) + chunks - 1) / chunks
		removed := false
		for start := 0; start < len(keep); start += size {
			candidate := append(slices.Clone(keep[:start]), keep[min(start+size, len(keep)):]...)
			if test(candidate) {
				keep, removed = candidate, true
				chunks = max(chunks-1, 2)
				break
			}
		}
		if !removed {
			if size == 1 {
				return
			}
			chunks = min(chunks*2, len(keep))
		}
	}
}

// shorterFaults shortens the faults that last a given time (a pause, a clog
// or a spike `for D`) and lowers the extra delay of a spike or of jitter: for
// each, the least value (1 ms) first, then a binary search, in milliseconds,
// for the least that still fails in no more events than now (a shorter fault
// is simpler, so equal counts make progress too). A fault that outlasts the
// story keeps the agents waiting (retries, heartbeats, elections) after the
// story is told.
func (s *shrinker) shorterFaults() {
	plan, ok := s.plan()
	if !ok {
		return
	}
	for i := range plan {
		f := plan[i].Fault
		if f.For > sim.Millisecond {
			plan = s.lowerDuration(plan, i, f.For, func(f *faults.Fault, d sim.Time) { f.For = d }, "shorter")
		}
		if (f.Kind == faults.Spike || f.Kind == faults.Jitter) && plan[i].Fault.Delay > sim.Millisecond {
			plan = s.lowerDuration(plan, i, plan[i].Fault.Delay, func(f *faults.Fault, d sim.Time) { f.Delay = d }, "less delay")
		}
	}
}

// lowerDuration sets a duration of entry i (set) to the least value from 1 ms
// up to now at which the run still fails, and returns the plan it accepted.
func (s *shrinker) lowerDuration(plan faults.Plan, i int, now sim.Time, set func(*faults.Fault, sim.Time), what string) faults.Plan {
	with := func(d sim.Time) (faults.Plan, bool) {
		p := slices.Clone(plan)
		set(&p[i].Fault, d)
		nc, size, ok := s.try(s.withPlan(p), s.size.Events)
		if ok {
			s.accept(nc, size, fmt.Sprintf("%s: %s", p[i].Fault, what))
		}
		return p, ok
	}
	return s.leastFailing(plan, sim.Millisecond, now/sim.Millisecond*sim.Millisecond, with)
}
