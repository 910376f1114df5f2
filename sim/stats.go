package sim

import "maps"

// Stats returns the counters so far, for scenario scripts and tests that drive a
// world by hand (Run returns them in its Result). The Faults map is a copy.
func (w *World) Stats() Stats {
	s := w.stats
	s.Faults = maps.Clone(w.stats.Faults)
	return s
}
