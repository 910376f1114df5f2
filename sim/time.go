package sim

import (
	"fmt"
	"strconv"
	"strings"
)

// Time is virtual time in nanoseconds since the start of a run. Durations use the
// same type: the simulator has no wall clock.
type Time int64

// Units of virtual time.
const (
	Nanosecond  Time = 1
	Microsecond      = 1000 * Nanosecond
	Millisecond      = 1000 * Microsecond
	Second           = 1000 * Millisecond
	Minute           = 60 * Second
)

// Never is a time later than any event.
const Never Time = 1<<63 - 1

// String renders t compactly: 0s, 250µs, 12ms, 1.5s.
func (t Time) String() string {
	switch {
	case t == Never:
		return "never"
	case t == 0:
		return "0s"
	case t < 0:
		return "-" + (-t).String()
	case t%Second == 0 || t >= 10*Second:
		return trimFloat(float64(t)/float64(Second)) + "s"
	case t >= Millisecond:
		return trimFloat(float64(t)/float64(Millisecond)) + "ms"
	case t >= Microsecond:
		return trimFloat(float64(t)/float64(Microsecond)) + "µs"
	}
	return strconv.FormatInt(int64(t), 10) + "ns"
}

func trimFloat(f float64) string {
	s := strconv.FormatFloat(f, 'f', 3, 64)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// ParseTime reads a duration such as "30s", "250ms", "1.5s", "2m" or "500us".
// A bare number is read as seconds.
func ParseTime(s string) (Time, error) {
	s = strings.TrimSpace(s)
	units := []struct {
		suffix string
		unit   Time
	}{{"ns", Nanosecond}, {"us", Microsecond}, {"µs", Microsecond}, {"ms", Millisecond}, {"s", Second}, {"m", Minute}}
	unit, num := Second, s
	for _, u := range units {
		if strings.HasSuffix(s, u.suffix) {
			unit, num = u.unit, strings.TrimSuffix(s, u.suffix)
			break
		}
	}
	f, err := strconv.ParseFloat(num, 64)
	if err != nil || f < 0 || f*float64(unit) > float64(Never/2) {
		return 0, fmt.Errorf("bad duration %q (want e.g. 30s, 250ms, 2m)", s)
	}
	return Time(f * float64(unit)), nil
}
