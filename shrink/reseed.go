package shrink

import (
	"fmt"

	"github.com/orrery-sim/orrery/harness"
	"github.com/orrery-sim/orrery/scheduler"
)

// reseedSeeds is how many fresh seeds reseed tries per cluster shape.
const reseedSeeds = 16

// shape is a cluster size reseed tries.
type shape struct{ nodes, clients int }

// reseed looks for the same failure in smaller clusters with fresh schedules.
// Deleting a node or a client from a recorded run shifts the random choices
// every other agent makes (they share the rand purpose), so the original story
// rarely survives; a small cluster with its own schedule often tells the same
// story in far fewer events. Shapes go from the smallest up, seeds 1, 2, ...
// (17, 18, ... in a second search); the nemesis is the original one (drawn
// anew for the shape when it was a swarm or default mode). A run counts only
// if it fails the same way in fewer events, or in a smaller shape; the other
// passes then shrink it further.
func (s *shrinker) reseed() {
	for _, sh := range s.shapes() {
		found := false
		first := 1 + uint64(s.attempt)*reseedSeeds // a later search tries other seeds
		for seed := first; seed < first+reseedSeeds && s.budgetLeft(); seed++ {
			cfg := s.cur.Config
			cfg.Nodes, cfg.Clients, cfg.Seed, cfg.Faults = sh.nodes, sh.clients, seed, s.spec
			cfg.StartAt = "" // a fresh story: every client starts with the others
			if s.offerSeed(cfg) {
				found = true
			}
		}
		if found || !s.budgetLeft() {
			return // the smallest shape that fails; later passes take it from here
		}
	}
}

// offerSeed runs cfg with its seeded scheduler and accepts it (with a drawn
// plan written out) if it fails the same way in fewer events than now, or in
// a smaller cluster.
func (s *shrinker) offerSeed(cfg harness.Config) bool {
	ok, _ := s.offerSeedWithin(cfg, s.size.Events, false)
	return ok
}

// offerSeedWithin is offerSeed for a run bounded by limit events (at least
// the current count). A run that fails the same way within limit but not in
// fewer events than now is accepted only if anyway is set; otherwise its
// event count is returned, so that a sweep can come back to it.
func (s *shrinker) offerSeedWithin(cfg harness.Config, limit uint64, anyway bool) (accepted bool, longer uint64) {
	if !s.budgetLeft() {
		return false, 0
	}
	s.runs++
	cfg = fitClients(Case{Config: cfg}).Config // in fewer clients, the skipped operations of those left
	c, out, aborted, err := bounded(cfg, scheduler.NewSeeded(cfg.Seed), limit)
	if err != nil || aborted || out.Result.Verdict != s.want.Verdict || out.Result.Property != s.want.Property ||
		(s.early && out.Result.At >= out.Config.Safety) {
		return false, 0
	}
	if out.Result.Events > limit {
		return false, 0
	}
	if !anyway && out.Result.Events >= s.size.Events {
		nodes, others, ok := shapeOf(c)
		if out.Result.Events > s.size.Events || !ok || nodes+others >= s.size.Nodes+s.size.Clients {
			// As long or longer, and no smaller world: a sweep may come back.
			return false, out.Result.Events
		}
	}
	if !s.failsAtOriginalBound(c, out) {
		return false, 0
	}
	if isDrawn(c.Config.Faults) {
		plan, err := Plan(c)
		if err != nil {
			return false, 0
		}
		c.Config.Faults = planText(plan)
		// The written-out plan takes the same steps (TestDrawnPlanWrittenOut);
		// re-recording drops the fault choices nobody asks for any more.
		rc, rout, aborted, err := bounded(c.Config, c.replayer(s.mode), limit)
		if err != nil || aborted || rout.Result.Verdict != s.want.Verdict || rout.Result.Property != s.want.Property {
			return false, 0
		}
		c, out = rc, rout
	}
	s.accept(c, measure(c, out), fmt.Sprintf("fresh schedule: %d nodes, %d clients, seed %d", cfg.Nodes, cfg.Clients, cfg.Seed))
	return true, 0
}
