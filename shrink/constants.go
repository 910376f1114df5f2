package shrink

import (
	"fmt"
	"maps"
	"strconv"

	"github.com/orrery-sim/orrery/protocols"
)

// lowerConstants lowers each integer parameter the protocol declares with
// Shrink set (protocols.Param) through Config.Params: its minimum first,
// then by halves, then smaller steps, while the run still fails the same way.
// A failure that needs, say, a snapshot shows with fewer entries once
// snapshots come every entry or two.
func (s *shrinker) lowerConstants() {
	for _, k := range s.proto.Params {
		if !k.Shrink || k.Kind != protocols.ParamInt {
			continue
		}
		value, err := strconv.Atoi(k.Default)
		if err != nil {
			continue
		}
		if v, ok := s.cur.Config.Params[k.Name]; ok {
			n, err := strconv.Atoi(v)
			if err != nil {
				continue
			}
			value = n
		}
		if value <= k.Min {
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

// offerConstant offers the current case with constant k set to value.
func (s *shrinker) offerConstant(k protocols.Param, value int) bool {
	c := s.cur
	c.Config.Params = maps.Clone(c.Config.Params)
	if c.Config.Params == nil {
		c.Config.Params = map[string]string{}
	}
	c.Config.Params[k.Name] = strconv.Itoa(value)
	return s.offerStructure(c, fmt.Sprintf("%s=%d", k.Name, value))
}
