package shrink

import (
	"fmt"
	"maps"
	"strconv"

	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/scheduler"
)

// lowerConstants lowers each integer parameter the protocol declares with
// Shrink set (protocols.Param) through Config.Params: its minimum first,
// then by halves, then smaller steps, while the run still fails the same way.
// A failure that needs, say, a snapshot shows with fewer entries once
// snapshots come every entry or two.
func (s *shrinker) lowerConstants() {
	for _, k := range s.proto.Params {
		value, ok := s.constant(k)
		if !ok || value <= k.Min {
			continue
		}
		if s.offerConstant(k, k.Min) {
			continue
		}
		for progress := true; progress && s.budgetLeft(); {
			progress = false
			for _, f := range [][2]int{{1, 2}, {3, 4}, {7, 8}} {
				lower := max(value*f[0]/f[1], k.Min)
				if lower >= value {
					continue
				}
				if s.offerConstant(k, lower) {
					value, progress = lower, true
					break
				}
			}
		}
	}
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
// protocol marks Shrink halved (not below its Min), one at a time, keeping a
// halving only if the protocol still sets the run up (a protocol may refuse a
// combination: an election timeout no longer than the heartbeat); nil if
// none can be lowered.
func (s *shrinker) loweredConstants() map[string]string {
	params, lowered := maps.Clone(s.cur.Config.Params), false
	for _, k := range s.proto.Params {
		value, ok := s.constant(k)
		if !ok || value <= k.Min {
			continue
		}
		try := maps.Clone(params)
		if try == nil {
			try = map[string]string{}
		}
		try[k.Name] = strconv.Itoa(max(value/2, k.Min))
		if s.setsUp(try) {
			params, lowered = try, true
		}
	}
	if !lowered {
		return nil
	}
	return params
}

// constant is the current value of a shrinkable integer constant k.
func (s *shrinker) constant(k protocols.Param) (int, bool) {
	if !k.Shrink || k.Kind != protocols.ParamInt {
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
