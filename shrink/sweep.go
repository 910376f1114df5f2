package shrink

import (
	"fmt"
	"slices"

	"github.com/orrery-sim/orrery/harness"
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
	// a search stops; the rest of the budget goes to the next search from
	// the original run, which another way of replaying and other seeds take
	// elsewhere (a second fruitless sweep rarely found anything, and the
	// best of two searches beats one longer search: over the planted bugs'
	// shrink table, geometric mean 26.6 -> 24.0 events).
	sweepsFruitlessMax = 1
	// sweepNearDivisor: a sweep that finds nothing shorter goes on from the
	// shortest failure it found at most 1/sweepNearDivisor longer than the
	// current one, if any: a fresh story of about the same length is often
	// another basin, from which local search goes further.
	sweepNearDivisor = 4
)

// sweepSetting is one kind of run a sweep tries with each seed.
type sweepSetting struct {
	nodes, clients int
	safety         sim.Time
	faults         string            // a nemesis mode, or the current plan's text
	params         map[string]string // nil: the current ones
}

// sweepSettings lists what a sweep tries per seed: clusters from a majority of
// the current one up (smaller ones rarely show a quorum protocol's late
// failures, and reseed and fewerNodes try them anyway), each with fewer
// clients first, at an eighth, a quarter and half the current safety phase,
// shortest first. A short phase packs the nemesis's faults into little time
// and leaves the protocol's background traffic (heartbeats) little time to
// add events: a failure found there is a short story, and a run that cannot
// beat the current one is cut off soon. Each setting is tried twice, the
// second time with the protocol's shrinkable constants lowered
// (loweredConstants): a timing constant, such as an election timeout, changes
// every later draw, so the current story rarely survives lowering it, but
// fresh seeds find stories that pass in fewer heartbeat rounds.
func (s *shrinker) sweepSettings() []sweepSetting {
	out := s.sweepSettingsAsIs()
	lowered := s.loweredConstants()
	if lowered == nil {
		return out
	}
	both := make([]sweepSetting, 0, 2*len(out))
	for _, st := range out {
		low := st
		low.params = lowered
		both = append(both, st, low)
	}
	return both
}

// sweepSettingsAsIs lists the settings with the current constants.
func (s *shrinker) sweepSettingsAsIs() []sweepSetting {
	var out []sweepSetting
	cfg := s.cur.Config
	shapes := slices.DeleteFunc(s.shapes(), func(sh shape) bool { return sh.nodes < (cfg.Nodes+1)/2 })
	if plan, ok := s.plan(); ok && len(plan) > 0 {
		// The faults the current story needs, with a fresh schedule around
		// them: the clusters of the current size (a plan names its nodes).
		for _, sh := range shapes {
			if sh.nodes == cfg.Nodes {
				out = append(out, sweepSetting{nodes: sh.nodes, clients: sh.clients, safety: cfg.Safety, faults: cfg.Faults})
			}
		}
	}
	for _, div := range sweepSafetyDivisors {
		safety := roundUp(cfg.Safety/div, sim.Millisecond)
		if div > 2 && safety < sweepSafetyMin {
			continue
		}
		for _, sh := range shapes {
			out = append(out, sweepSetting{nodes: sh.nodes, clients: sh.clients, safety: safety, faults: s.spec})
		}
	}
	return out
}

// sweepSafetyDivisors are the fractions of the current safety phase a sweep
// runs, shortest first; sweepSafetyMin is the shortest phase below half the
// current one that it tries.
var sweepSafetyDivisors = []sim.Time{8, 4, 2}

const sweepSafetyMin = 100 * sim.Millisecond

// sweepOps is the cap on operations per client of swept runs. A failure
// after the safety phase keeps the current case's cap (none, unless fewerOps
// found one that works), and the short safety phase bounds the workload: a
// history check's stories need operations that overlap (a write seen by one
// read and missed by a later one), which a few operations per client rarely
// make, and liveness properties often wait for an operation after the heal,
// which capped clients never issue.
func (s *shrinker) sweepOps() int {
	if s.early {
		return sweepOpsPerClient
	}
	return s.cur.Config.Ops
}

// endJudged reports whether the failure is a safety property's after the
// safety phase (a history check at the end, or an invariant broken after the
// heal). Swept runs of such a failure end after as many events as the
// current case has (Config.EndAfter) and are judged there, so a run that
// already fails within them counts, however long its liveness phase would
// have run.
func (s *shrinker) endJudged() bool {
	return s.want.Verdict == sim.VerdictSafety && !s.early
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
// goes on from the seeds this one reached. With goOnNear, a sweep that finds
// none takes the shortest failure it found at most 1/sweepNearDivisor longer
// than the current case instead, and reports that it restarted there (the
// caller keeps the better of the two).
func (s *shrinker) sweep(goOnNear bool) (found, restarted bool) {
	if s.opsIgnored {
		return false, false
	}
	settings := s.sweepSettings()
	if len(settings) == 0 {
		return false, false // nothing to sweep: the loop below would never run a seed
	}
	runsMax, from := s.runs+s.opts.RunsMax/sweepShareDivisor, s.sweepSeed
	// The shortest failure found that is not shorter than the current one,
	// but not much longer: where the search goes on if none is shorter.
	var near harness.Config
	nearFound := false
	nearEvents := s.size.Events + s.size.Events/sweepNearDivisor + 1
	defer func() {
		what := "nothing shorter"
		switch {
		case found:
			what = "a shorter failure"
		case restarted:
			what = fmt.Sprintf("nothing shorter; the search goes on from seed %d, %d events", near.Seed, s.size.Events)
		}
		s.progressf("shrink: run %d: sweep of seeds %d..%d over %d settings found %s", s.runs, from+1, s.sweepSeed, len(settings), what)
	}()
	for s.runs < runsMax && s.budgetLeft() {
		s.sweepSeed++
		for _, st := range settings {
			if s.runs >= runsMax || !s.budgetLeft() {
				break
			}
			cfg := s.cur.Config
			cfg.Nodes, cfg.Clients, cfg.Seed, cfg.Faults = st.nodes, st.clients, s.sweepSeed, st.faults
			cfg.StartAt = "" // a fresh story: every client starts with the others
			// The original liveness bound: the current one may have been cut to
			// what the current story needs, and a fresh story needs its own.
			cfg.Safety, cfg.Liveness, cfg.EndAfter, cfg.Ops = st.safety, s.liveness, 0, s.sweepOps()
			if s.endJudged() && s.size.Events > 1 {
				cfg.EndAfter = s.size.Events - 1 // the fail event makes it as long as now
			}
			if st.params != nil {
				cfg.Params = st.params
			}
			limit := s.size.Events // runs that cannot beat it are cut off there
			if goOnNear && !found {
				limit = nearEvents - 1
			}
			ok, longer := s.offerSeedWithin(cfg, limit, false)
			found = ok || found
			if longer > 0 && longer < nearEvents {
				near, nearEvents, nearFound = cfg, longer, true
			}
		}
	}
	if !found && goOnNear && nearFound {
		restarted, _ = s.offerSeedWithin(near, nearEvents, true)
	}
	return found, restarted
}
