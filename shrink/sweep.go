package shrink

import (
	"slices"

	"github.com/orrery-sim/orrery/sim"
)

// Sweeps: a failure judged late (an end-of-run check, or an invariant that a
// long history of terms breaks) rarely survives edits to its own run, since
// every deletion reshuffles the timeouts that all agents draw from one stream.
// The same failure is often found afresh, and far shorter, in a run whose
// clients issue only a few operations and whose safety phase is shorter:
// capped clients fall silent once done, so such a run has few events and the
// history an end-of-run check reads is tiny. Such failures are rare (about one
// seed in a thousand for the planted Raft bugs that shrink worst), so a sweep
// runs many cheap seeds; the other passes then shrink what it found.
const (
	// sweepOpsPerClient is the cap of swept runs: enough operations for
	// entries of a few terms, few enough that clients soon fall silent.
	sweepOpsPerClient = 4
	// sweepShareDivisor: one sweep spends at most RunsMax/sweepShareDivisor runs.
	sweepShareDivisor = 4
	// sweepsFruitlessMax: after this many sweeps in a row that find nothing
	// the shrinker stops; the rest of the budget would likely be spent alike.
	sweepsFruitlessMax = 2
)

// sweepSetting is one kind of run a sweep tries with each seed.
type sweepSetting struct {
	nodes, clients int
	safety         sim.Time
}

// sweepSettings lists what a sweep tries per seed: clusters from a majority of
// the current one up (smaller ones rarely show a quorum protocol's late
// failures, and reseed and fewerNodes try them anyway), each with fewer
// clients first, at half the current safety phase: cheaper runs and shorter
// stories (trying the whole phase too halves the seeds a sweep reaches, which
// on the planted Raft bugs cost more than it found).
func (s *shrinker) sweepSettings() []sweepSetting {
	var out []sweepSetting
	cfg := s.cur.Config
	for _, sh := range s.shapes() {
		if sh.nodes < (cfg.Nodes+1)/2 {
			continue
		}
		out = append(out, sweepSetting{sh.nodes, sh.clients, roundUp(cfg.Safety/2, sim.Millisecond)})
	}
	return out
}

// shapes lists the cluster sizes up to the current one, smallest first.
func (s *shrinker) shapes() []shape {
	var shapes []shape
	for n := max(s.proto.MinNodes, 1); n <= s.cur.Config.Nodes; n++ {
		for c := min(1, s.cur.Config.Clients); c <= s.cur.Config.Clients; c++ { // a protocol without clients has one shape per size
			shapes = append(shapes, shape{n, c})
		}
	}
	slices.SortStableFunc(shapes, func(a, b shape) int { return (a.nodes + a.clients) - (b.nodes + b.clients) })
	return shapes
}

// sweep runs the next seeds of every setting with capped clients (seeds in the
// outer loop, so that no setting starves the others) and accepts each run that
// fails the same way in fewer events than the current case. Each acceptance
// lowers the bar, and runs that cannot beat it are cut off early, so later
// seeds cost less. It reports whether it found a smaller case; a later sweep
// goes on from the seeds this one reached.
func (s *shrinker) sweep() bool {
	if s.opsIgnored {
		return false
	}
	settings := s.sweepSettings()
	if len(settings) == 0 {
		return false // nothing to sweep: the loop below would never run a seed
	}
	runsMax, found := s.runs+s.opts.RunsMax/sweepShareDivisor, false
	for s.runs < runsMax && s.budgetLeft() {
		s.sweepSeed++
		for _, st := range settings {
			if s.runs >= runsMax || !s.budgetLeft() {
				break
			}
			cfg := s.cur.Config
			cfg.Nodes, cfg.Clients, cfg.Seed, cfg.Faults = st.nodes, st.clients, s.sweepSeed, s.spec
			// The original liveness bound: the current one may have been cut to
			// what the current story needs, and a fresh story needs its own.
			cfg.Safety, cfg.Liveness, cfg.Ops = st.safety, s.liveness, sweepOpsPerClient
			found = s.offerSeed(cfg) || found
		}
	}
	return found
}
