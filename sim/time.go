package sim

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/orrery-sim/orrery/internal/quote"
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

// String renders t compactly, with at most three decimals: whole seconds and
// anything from 10s up in seconds (2s, 12.5s), else in the largest of ms, µs
// and ns that is at least 1 (1500ms, 250µs, 7ns); 0s, and "never" for Never.
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

// DurationMax bounds every duration a user writes (run lengths, plan times,
// script times): far beyond any useful run, far from overflow.
const DurationMax = 1000 * 60 * Minute

// ParseDuration reads a duration written the one way Orrery accepts
// everywhere (flags, fault plans, cluster files, scenario scripts): Go's
// time.ParseDuration syntax with a unit on every number, such as 500ms, 1.5s,
// 1m30s or 250us; "0" alone needs none. A bare number is an error, so that
// "500" never means seconds by accident. Negative durations and durations
// over DurationMax are errors; fractions below a nanosecond are dropped, as
// time.ParseDuration drops them.
func ParseDuration(s string) (Time, error) {
	if s == "" {
		return 0, fmt.Errorf("want a duration such as 500ms, 1.5s or 1m30s, got nothing")
	}
	if s != "0" && strings.TrimLeft(s, "0123456789.") == "" {
		return 0, fmt.Errorf("duration %s has no unit (want e.g. %sms or %ss)", quote.Q(s), s, s)
	}
	if s[0] == '-' {
		return 0, fmt.Errorf("negative duration %s", quote.Q(s))
	}
	d, err := time.ParseDuration(s)
	if err != nil || strings.HasPrefix(s, "+") {
		return 0, fmt.Errorf("bad duration %s (want e.g. 500ms, 1.5s or 1m30s)", quote.Q(s))
	}
	if Time(d) > DurationMax {
		return 0, fmt.Errorf("duration %s exceeds %v", quote.Q(s), DurationMax)
	}
	return Time(d), nil
}
