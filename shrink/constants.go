package shrink

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strconv"

	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/scheduler"
)

// lowerConstants moves each integer parameter the protocol declares with
// Shrink or Raise set (protocols.Param) through Config.Params: a Shrink one
// down, its minimum first, then by halves, then smaller steps; a Raise one
// up, its maximum first, then doubled, then by smaller steps; each while
// the run still fails the same way. A failure that needs a snapshot shows
// with fewer entries once snapshots come every entry or two, and a story
// told between heartbeats needs fewer of them when they come less often.
func (s *shrinker) lowerConstants() {
	for _, k := range s.proto.Params {
		value, ok := s.constant(k)
		if !ok {
			continue
		}
		end, steps := k.Min, [][2]int{{1, 2}, {3, 4}, {7, 8}}
		if k.Raise {
			end, steps = k.Max, [][2]int{{2, 1}, {3, 2}, {5, 4}}
		}
		if value == end || s.offerConstant(k, end) {
			continue
		}
		for progress := true; progress && s.budgetLeft(); {
			progress = false
			for _, f := range steps {
				next := moved(k, value, f)
				if next == value {
					continue
				}
				if s.offerConstant(k, next) {
					value, progress = next, true
					break
				}
			}
		}
	}
}

// moved is value scaled by f[0]/f[1], within k's bounds.
func moved(k protocols.Param, value int, f [2]int) int {
	return min(max(value*f[0]/f[1], k.Min), k.Max)
}

// offerConstant offers the current case with constant k set to value, and
// accepts it only if it is no longer than the current case: unlike a cut in
// the structure, a lower constant can make a run longer (a client retry of
// 1 ms resends all the time), and the passes after it rarely win that back.
func (s *shrinker) offerConstant(k protocols.Param, value int) bool {
	c := s.cur
	c.Config.Params = maps.Clone(c.Config.Params)
	if c.Config.Params == nil {
		c.Config.Params = map[string]string{}
	}
	c.Config.Params[k.Name] = strconv.Itoa(value)
	nc, size, ok := s.try(c, s.size.Events)
	if !ok {
		return false
	}
	s.accept(nc, size, fmt.Sprintf("%s=%d", k.Name, value))
	return true
}

// loweredConstants returns the current parameters with each constant the
// protocol marks Shrink halved (not below its Min) and each it marks Raise
// doubled (not above its Max), one at a time, keeping a move only if the
// protocol still sets the run up (a protocol may refuse a combination: an
// election timeout no longer than the heartbeat); nil if none can be moved.
func (s *shrinker) loweredConstants() map[string]string {
	params, lowered := maps.Clone(s.cur.Config.Params), false
	// The lowered first, as before there were raised ones: a raised
	// heartbeat must not keep the election timeout from halving.
	ks := slices.Clone(s.proto.Params)
	slices.SortStableFunc(ks, func(a, b protocols.Param) int { return cmp.Compare(b2i(a.Raise), b2i(b.Raise)) })
	for _, k := range ks {
		value, ok := s.constant(k)
		if !ok {
			continue
		}
		f := [2]int{1, 2}
		if k.Raise {
			f = [2]int{2, 1}
		}
		next := moved(k, value, f)
		if next == value {
			continue
		}
		try := maps.Clone(params)
		if try == nil {
			try = map[string]string{}
		}
		try[k.Name] = strconv.Itoa(next)
		if s.setsUp(try) {
			params, lowered = try, true
		}
	}
	if !lowered {
		return nil
	}
	return params
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// constant is the current value of a shrinkable integer constant k.
func (s *shrinker) constant(k protocols.Param) (int, bool) {
	if !(k.Shrink || k.Raise) || k.Kind != protocols.ParamInt {
		return 0, false
	}
	v := k.Default
	if cur, ok := s.cur.Config.Params[k.Name]; ok {
		v = cur
	}
	n, err := strconv.Atoi(v)
	return n, err == nil
}

// setsUp reports whether the current case with params sets up: it runs the
// world for one event only, without counting it against the budget.
func (s *shrinker) setsUp(params map[string]string) bool {
	cfg := s.cur.Config
	cfg.Params = params
	_, _, _, err := bounded(cfg, scheduler.NewSeeded(cfg.Seed), 1)
	return err == nil
}
