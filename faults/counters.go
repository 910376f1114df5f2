package faults

import (
	"slices"
	"strconv"

	"github.com/orrery-sim/orrery/sim"
	"github.com/orrery-sim/orrery/traces"
)

// Counters lists how many faults of each kind a run applied, in vocabulary
// order, then the messages lost and duplicated, then any other recorded kind in
// name order. Kinds that never happened are left out, so an enabled kind that
// shows no counter was drawn but never applied.
func Counters(s sim.Stats) []traces.Option {
	var out []traces.Option
	add := func(key string, n uint64) {
		if n > 0 {
			out = append(out, traces.Option{Key: key, Value: strconv.FormatUint(n, 10)})
		}
	}
	for _, k := range Kinds() {
		switch k {
		case Crash:
			add(k.String(), s.Crashes)
		case Restart:
			add(k.String(), s.Restarts)
		case Pause:
			add(k.String(), s.Pauses)
		default:
			add(k.String(), s.Faults[k.String()])
		}
	}
	add("lost", s.Lost)
	add("duplicated", s.Duplicated)
	for _, k := range s.FaultKinds() {
		if _, err := ParseKind(k); err != nil && !slices.Contains([]string{"lost", "duplicated"}, k) {
			add(k, s.Faults[k])
		}
	}
	return out
}
