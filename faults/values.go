package faults

import (
	"errors"
	"strconv"
	"strings"

	"github.com/orrery-sim/orrery/sim"
)

// Limits on the numbers a fault may carry. They keep arithmetic far from overflow
// and reject plans that could only be typos.
const (
	durationMax    = sim.DurationMax // any duration or plan time (sim.ParseDuration)
	skewOffsetMax  = 60 * sim.Minute // a clock step, either way
	driftPPMMin    = -499_999        // sim.World.SetClock's bounds, exclusive
	driftPPMMax    = 999_999
	ppmMax         = 1_000_000 // 100%
	rateDigitsMax  = 4         // decimals of a percentage: 0.0001% is 1 ppm
	numberDigitMax = 18        // digits in one number, so int64 never overflows
)

func digits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

// FormatDuration renders a duration exactly, in the largest unit that divides it:
// 2s, 1500ms, 250us, 7ns. sim.ParseDuration reads it back to the same value.
func FormatDuration(t sim.Time) string {
	switch {
	case t == 0:
		return "0s"
	case t%sim.Second == 0:
		return strconv.FormatInt(int64(t/sim.Second), 10) + "s"
	case t%sim.Millisecond == 0:
		return strconv.FormatInt(int64(t/sim.Millisecond), 10) + "ms"
	case t%sim.Microsecond == 0:
		return strconv.FormatInt(int64(t/sim.Microsecond), 10) + "us"
	}
	return strconv.FormatInt(int64(t), 10) + "ns"
}

// ParseRate reads a message rate: a percentage with up to four decimals (5%,
// 0.25%) or parts per million (250ppm), at most 100%.
func ParseRate(s string) (uint32, error) {
	var v int64
	switch {
	case strings.HasSuffix(s, "ppm"):
		n := strings.TrimSuffix(s, "ppm")
		if !digits(n) || len(n) > 7 {
			return 0, errors.New("want a rate such as 5%, 0.5% or 500ppm")
		}
		v, _ = strconv.ParseInt(n, 10, 64)
	case strings.HasSuffix(s, "%"):
		whole, frac, dot := strings.Cut(strings.TrimSuffix(s, "%"), ".")
		if !digits(whole) || len(whole) > 3 || (dot && (!digits(frac) || len(frac) > rateDigitsMax)) {
			return 0, errors.New("want a rate such as 5%, 0.5% or 500ppm")
		}
		w, _ := strconv.ParseInt(whole, 10, 64)
		f, _ := strconv.ParseInt((frac + "0000")[:rateDigitsMax], 10, 64)
		v = w*10_000 + f
	default:
		return 0, errors.New("want a rate such as 5%, 0.5% or 500ppm")
	}
	if v > ppmMax {
		return 0, errors.New("rate above 100%")
	}
	return uint32(v), nil
}

// FormatRate renders parts per million as a percentage: 5%, 0.25%, 0.0001%.
func FormatRate(ppm uint32) string {
	s := strconv.FormatUint(uint64(ppm/10_000), 10)
	if rest := ppm % 10_000; rest != 0 {
		s += "." + strings.TrimRight(strconv.FormatUint(uint64(rest)+10_000, 10)[1:], "0")
	}
	return s + "%"
}

// parseOffset reads a signed clock step: +30ms, -1s, 0s.
func parseOffset(s string) (sim.Time, error) {
	sign := sim.Time(1)
	switch {
	case strings.HasPrefix(s, "+"):
		s = s[1:]
	case strings.HasPrefix(s, "-"):
		sign, s = -1, s[1:]
	}
	t, err := sim.ParseDuration(s)
	if err != nil {
		return 0, err
	}
	if t > skewOffsetMax {
		return 0, errors.New("clock step exceeds " + FormatDuration(skewOffsetMax))
	}
	return sign * t, nil
}

func formatOffset(t sim.Time) string {
	if t < 0 {
		return "-" + FormatDuration(-t)
	}
	return "+" + FormatDuration(t)
}

// parseDrift reads a signed clock rate error: +200ppm, -50ppm.
func parseDrift(s string) (int64, error) {
	n := strings.TrimSuffix(s, "ppm")
	if n == s {
		return 0, errors.New("want a drift such as +200ppm")
	}
	sign := int64(1)
	switch {
	case strings.HasPrefix(n, "+"):
		n = n[1:]
	case strings.HasPrefix(n, "-"):
		sign, n = -1, n[1:]
	}
	if !digits(n) || len(n) > 7 {
		return 0, errors.New("want a drift such as +200ppm")
	}
	v, _ := strconv.ParseInt(n, 10, 64)
	v *= sign
	if v < driftPPMMin || v > driftPPMMax {
		return 0, errors.New("drift out of range (-499999ppm to +999999ppm)")
	}
	return v, nil
}

func formatDrift(ppm int64) string {
	if ppm < 0 {
		return strconv.FormatInt(ppm, 10) + "ppm"
	}
	return "+" + strconv.FormatInt(ppm, 10) + "ppm"
}
