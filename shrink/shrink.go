package shrink

import (
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/orrery-sim/orrery/harness"
	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/scheduler"
	"github.com/orrery-sim/orrery/sim"
)

// Signature is how a run fails: its verdict and the property. A candidate
// counts only if it fails the same way.
type Signature struct {
	Verdict  sim.Verdict
	Property string
}

func (f Signature) String() string { return f.Verdict.String() + " " + f.Property }

// Size measures a run for the report and for comparing candidates.
type Size struct {
	Events  uint64
	Faults  int // entries of the fault plan (drawn or written)
	Ops     int // client operations in the history
	Clients int
	Nodes   int
	Choices int // scheduler answers
	Safety  sim.Time
	// Liveness is the liveness bound. A liveness failure shrunk to a shorter
	// bound has been checked to fail with the original one too.
	Liveness sim.Time
	At       sim.Time // virtual time of the failure
	// clientOpsMax is the most operations one client invoked in the safety
	// phase, where Config.Ops caps them (a capped client may still probe
	// with a write in the liveness phase).
	clientOpsMax int
}

// Options bound the search.
type Options struct {
	// RunsMax bounds the candidate runs (0: DefaultRunsMax).
	RunsMax int
	// Time bounds the wall-clock time (0: DefaultTime; negative: no bound, so
	// the result depends on the input alone).
	Time time.Duration
	// Progress receives one line per improvement (nil: silent).
	Progress io.Writer
}

// searchesMax is how many searches from the original run one shrink makes
// while its budget lasts.
const searchesMax = 4

// localShareDivisor: the local search before the first sweep gets at most
// this share of the budget (runs, and wall time when bounded): the runs of a
// long story it cannot cut are the dearest.
const localShareDivisor = 4

// Defaults of Options.
const (
	DefaultRunsMax = 60000
	DefaultTime    = 60 * time.Second
)

// Result is the outcome of Shrink.
type Result struct {
	Failure       Signature
	Before, After Size
	Case          Case // the smallest failing case found
	Runs          int  // candidate runs made
	Elapsed       time.Duration
	// Exhausted reports that the budget ran out before no pass could shrink
	// the case further.
	Exhausted bool
}

// ErrNotFailing is returned for a case that does not fail.
var ErrNotFailing = errors.New("the run does not fail: nothing to shrink")

// shrinker holds the search state: the current (smallest) failing case.
type shrinker struct {
	opts   Options
	start  time.Time
	runs   int
	out    bool // budget spent
	want   Signature
	proto  *protocols.Protocol
	before Size
	cur    Case
	size   Size
	gain   bool // some candidate was accepted in this round
	// mode: how candidates replay their log: per purpose, per asker
	// (scheduler.KeyedReplay), or per asker and in time
	// (scheduler.NewTimedReplay). Edits that one way of replaying turns
	// into another story often keep the story another way, so a round
	// that makes no progress switches to the next, and the passes stop
	// only when no way makes progress.
	mode replayMode
	// localFirst: the first local search runs, on a share of the budget
	// (runs and wall time) before sweeps look for a shorter story.
	localFirst bool
	// attempt counts the searches from the original run (from 0), which
	// started at searchStart.
	attempt     int
	searchStart time.Time
	// early: the failure is an always-property's (or a panic) inside the
	// safety phase: a candidate must fail there too, the local search comes
	// before the sweeps, and swept clients are capped.
	early bool
	// opsIgnored: the protocol does not honour Config.Ops.
	opsIgnored bool
	// rejected maps the key of each candidate rejected to the largest event
	// bound it was rejected under.
	rejected  map[uint64]uint64
	cacheHits int
	// tidying: the search is over, and the result is being tidied in a run
	// or two past the budget.
	tidying bool
	// spec and liveness are the original fault spec (a nemesis mode, or plan
	// text) and liveness bound, which fresh schedules start from; sweepSeed
	// is the last seed a sweep tried.
	spec      string
	liveness  sim.Time
	sweepSeed uint64
}

// Shrink searches for the smallest case that fails the way c fails.
func Shrink(c Case, o Options) (*Result, error) {
	if o.RunsMax <= 0 {
		o.RunsMax = DefaultRunsMax
	}
	if o.Time == 0 {
		o.Time = DefaultTime
	}
	s := &shrinker{opts: o, start: time.Now()}
	cur, out, err := c.record()
	if err != nil {
		return nil, err
	}
	if !out.Result.Failed() {
		return nil, ErrNotFailing
	}
	s.want = Signature{Verdict: out.Result.Verdict, Property: out.Result.Property}
	s.early = out.Result.Verdict != sim.VerdictLiveness && out.Result.At < cur.Config.Safety
	if _, s.proto, err = cur.Config.Resolve(); err != nil {
		return nil, err
	}
	s.cur, s.size = cur, measure(cur, out)
	s.before = s.size
	s.progressf("shrink: %s; %s", s.want, s.size)
	s.spec, s.liveness = cur.Config.Faults, cur.Config.Liveness
	origin := s.cur
	s.search()
	// The search is chaotic: which edits keep a story, and so where it goes,
	// turns on small things. With budget left, search again from the
	// original run another way (candidates replayed in the next mode first,
	// the sweeps on further seeds), and keep the smaller result.
	for attempt := 1; attempt < searchesMax && !s.out; attempt++ {
		best, bestSize := s.cur, s.size
		s.cur, s.size, s.mode, s.attempt = origin, s.before, replayMode(attempt)%replayModes, attempt
		s.progressf("shrink: run %d: search again from the original run; the best so far has %d events", s.runs, bestSize.Events)
		s.search()
		if bestSize.Events < s.size.Events || (bestSize.Events == s.size.Events && len(best.Choices) <= len(s.cur.Choices)) {
			s.cur, s.size = best, bestSize
		}
	}
	exhausted := s.out
	s.tidying = true // two runs past the budget at most
	s.tidySkip()
	r := &Result{Failure: s.want, Before: s.before, After: s.size, Case: s.cur, Runs: s.runs,
		Elapsed: time.Since(s.start), Exhausted: exhausted}
	s.progressf("shrink: done after %d runs (and %d repeated candidates not re-run) in %v%s; %s", r.Runs, s.cacheHits,
		r.Elapsed.Round(time.Millisecond), exhaustedNote(r.Exhausted), r.After)
	return r, nil
}

// search shrinks the current case: the structure first, fresh schedules in
// smaller clusters, then local search and sweeps in turn. A later search
// gets what the earlier ones left of the budget, and other seeds.
func (s *shrinker) search() {
	s.searchStart = time.Now()
	s.explicitPlan()
	s.cutSafetyAtFailure()
	if !s.early {
		s.halveSafety() // fresh schedules of a full-length run are dear
	}
	s.reseed()
	// Local search first, so that a failure it shrinks well shrinks as before,
	// but on part of the budget, since the runs of a long story it cannot cut
	// are the dearest. Every candidate of a failure judged at the end runs to
	// the end, so there a sweep comes first. Then sweeps for a fresh, shorter
	// story, and local search again from each one found, until sweeps stop
	// finding any.
	sweptFirst := false
	if !s.early {
		sweptFirst, _ = s.sweep(false)
	}
	if sweptFirst {
		s.rounds(s.opts.RunsMax)
	} else {
		s.localFirst = true
		s.rounds(s.runs + s.opts.RunsMax/localShareDivisor)
		s.localFirst = false
	}
	for fruitless := 0; !s.out && fruitless < sweepsFruitlessMax; {
		fruitless++
		best, bestSize := s.cur, s.size
		found, restarted := s.sweep(true)
		switch {
		case found:
			fruitless = 0
			s.rounds(s.opts.RunsMax)
		case restarted:
			// A story not shorter than the best: it counts only if local
			// search takes it below.
			s.rounds(s.opts.RunsMax)
			if s.size.Events < bestSize.Events {
				fruitless = 0
			} else {
				s.cur, s.size = best, bestSize
			}
		}
	}
}

// rounds runs the passes until neither way of replaying candidates makes
// progress in a round, the budget is spent or runsMax runs have been made
// (checked between passes).
func (s *shrinker) rounds(runsMax int) {
	for fruitless := 0; !s.out && fruitless < int(replayModes); {
		s.gain = false
		for _, pass := range s.passes() {
			if s.out || s.runs >= runsMax || (s.localFirst && s.opts.Time > 0 && time.Since(s.searchStart) > s.opts.Time/localShareDivisor) {
				return
			}
			pass()
		}
		if !s.gain && !s.out && s.runs < runsMax {
			// Stuck: the moves away from the simplest schedule, dear on a
			// long log and rarely needed before the end.
			s.farChoices()
		}
		if fruitless++; s.gain {
			fruitless = 0
		} else {
			s.mode = (s.mode + 1) % replayModes
		}
	}
}

func exhaustedNote(out bool) string {
	if out {
		return " (budget spent)"
	}
	return ""
}

// passes lists the shrinking passes of one round, cheapest and most effective
// first: the structure (faults, nodes, clients, operations, phases) before the
// schedule, since each structural cut also removes most of the choices.
func (s *shrinker) passes() []func() {
	return []func(){
		s.cutSafetyAtFailure, s.deleteFaults, s.fewerNodes, s.fewerClients, s.fewerOps, s.skipOps, s.laterClients, s.lowerConstants,
		s.halveSafety, s.halveLiveness, s.endAtFailure, s.earlierFaults, s.shorterFaults, s.zeroChoices, s.deleteChoices,
	}
}

func (s *shrinker) budgetLeft() bool {
	if s.tidying {
		return true
	}
	if s.runs >= s.opts.RunsMax || (s.opts.Time > 0 && time.Since(s.start) > s.opts.Time) {
		s.out = true
	}
	return !s.out
}

// try runs c and, if it fails the way wanted within eventsMax events, returns
// it re-recorded with its size.
func (s *shrinker) try(c Case, eventsMax uint64) (Case, Size, bool) {
	c = fitClients(c)
	key := c.key()
	key = (key ^ uint64(s.mode)) * fnvPrime // the same candidate replayed another way is another run
	if !s.budgetLeft() {
		return c, Size{}, false
	}
	if s.knownRejected(key, eventsMax) {
		s.cacheHits++
		return c, Size{}, false
	}
	s.runs++
	rc, out, aborted, err := bounded(c.Config, c.replayer(s.mode), eventsMax)
	if err != nil || aborted || out.Result.Verdict != s.want.Verdict || out.Result.Property != s.want.Property ||
		out.Result.Events > eventsMax || (s.early && out.Result.At >= out.Config.Safety) {
		s.reject(key, eventsMax)
		return c, Size{}, false
	}
	if !s.failsAtOriginalBound(rc, out) {
		s.reject(key, eventsMax)
		return c, Size{}, false
	}
	return rc, measure(rc, out), true
}

// failsAtOriginalBound reports whether c, a case whose run out fails the
// liveness property wanted, also fails it with the original liveness bound,
// its servers stuck where out's run ends: the same run (c's recorded log
// replayed, the simplest answers past its end) with the phase lengthened
// back, in which every server ends as it ends in out (up or down, and the
// same summary, sim.Summarize). A property that fails within a shorter bound may only be
// slow, and a run cut before its servers reach the state the long run stays
// in tells nothing; a run that reaches it does. A case with the original
// bound, or a failure of another verdict, needs no check. The check is one
// more run, counted.
func (s *shrinker) failsAtOriginalBound(c Case, out *harness.Outcome) bool {
	if s.want.Verdict != sim.VerdictLiveness || c.Config.Liveness >= s.liveness {
		return true
	}
	if !s.budgetLeft() {
		return false
	}
	_, inst, _, err := setup(c)
	if err != nil {
		return false
	}
	s.runs++
	c.Config.Liveness = s.liveness
	_, long, aborted, err := bounded(c.Config, scheduler.NewReplay(c.Choices), 0)
	if err != nil || aborted || long.Result.Verdict != s.want.Verdict || long.Result.Property != s.want.Property {
		return false
	}
	for _, id := range inst.Servers {
		if serverEnd(out.World, id) != serverEnd(long.World, id) {
			return false
		}
	}
	return true
}

// serverEnd is how a server ends a run: down, or up with its summary.
func serverEnd(w *sim.World, id sim.NodeID) string {
	if !w.Up(id) || w.Agent(id) == nil {
		return "down"
	}
	return "up " + sim.Summarize(w.Agent(id))
}

// offerStructure accepts c if it fails the same way and is no longer than the
// original run: its structure (faults, nodes, clients, operations, phase
// lengths) is smaller by construction, which guarantees progress.
func (s *shrinker) offerStructure(c Case, what string) bool {
	nc, size, ok := s.try(c, s.before.Events)
	if !ok {
		return false
	}
	s.accept(nc, size, what)
	return true
}

// offerSchedule accepts c if it fails the same way with fewer events, or as
// many with a simpler schedule (fewer answers that are not the simplest, then
// answers nearer it): a well-founded order, so the schedule passes terminate.
func (s *shrinker) offerSchedule(c Case, what string) bool {
	nc, size, ok := s.try(c, s.size.Events)
	if !ok {
		return false
	}
	if size.Events == s.size.Events && !simpler(nc.Choices, s.cur.Choices) {
		return false
	}
	s.accept(nc, size, what)
	return true
}

func (s *shrinker) accept(c Case, size Size, what string) {
	s.cur, s.size, s.gain = c, size, true
	s.progressf("shrink: run %d, %v: %s; %s", s.runs, time.Since(s.start).Round(time.Millisecond), what, size)
}

func (s *shrinker) progressf(format string, args ...any) {
	if s.opts.Progress != nil {
		fmt.Fprintf(s.opts.Progress, format+"\n", args...)
	}
}

func measure(c Case, out *harness.Outcome) Size {
	size := Size{Events: out.Result.Events, Ops: len(out.World.History().Ops), Clients: c.Config.Clients,
		Nodes: c.Config.Nodes, Choices: len(c.Choices), Safety: c.Config.Safety, Liveness: c.Config.Liveness, At: out.Result.At}
	if plan, err := Plan(c); err == nil {
		size.Faults = len(plan)
	}
	perClient := map[sim.NodeID]int{}
	for _, op := range out.World.History().Ops {
		if op.Client != sim.External && op.Call < c.Config.Safety {
			perClient[op.Client]++
			size.clientOpsMax = max(size.clientOpsMax, perClient[op.Client])
		}
	}
	if nodes, others, ok := shapeOf(c); ok {
		size.Nodes, size.Clients = nodes, others
	}
	return size
}

// shapeOf counts the servers and the other agents of the world c builds: a
// protocol may ignore Config.Nodes and Config.Clients (ovid's cluster file
// fixes its agents), and a smaller number there that changes nothing is no
// reduction.
func shapeOf(c Case) (nodes, others int, ok bool) {
	w, inst, _, err := setup(c)
	if err != nil {
		return 0, 0, false
	}
	return len(inst.Servers), w.Len() - len(inst.Servers), true
}

// offerSmaller accepts c, a candidate with fewer nodes or clients, only if
// its world is smaller in that respect.
func (s *shrinker) offerSmaller(c Case, what string, smaller func(now, then Size) bool) bool {
	nc, size, ok := s.try(c, s.before.Events)
	if !ok || !smaller(size, s.size) {
		return false
	}
	s.accept(nc, size, what)
	return true
}

func (z Size) String() string {
	return fmt.Sprintf("%d events, %d faults, %d operations, %d clients, %d nodes, %d choices, safety %v, liveness %v",
		z.Events, z.Faults, z.Ops, z.Clients, z.Nodes, z.Choices, z.Safety, z.Liveness)
}
