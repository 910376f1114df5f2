package hunt

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"

	"github.com/orrery-sim/orrery/harness"
	"github.com/orrery-sim/orrery/scheduler"
	"github.com/orrery-sim/orrery/sim"
)

// The strategies.
const (
	Random  = "random"  // seeds in order, seeded scheduler
	PCT     = "pct"     // seeds in order, PCT-style priorities
	Novelty = "novelty" // half fresh seeds, half branches from novel states
)

// Default is the strategy that found the planted bugs fastest overall in
// tools/bench/bugbench (median runs to the first failure over base seeds).
const Default = Random

// Strategies lists the strategy names, the default first.
var Strategies = []string{Random, Novelty, PCT}

// Options configure a hunt.
type Options struct {
	Strategy string // "" means Random
	// RunsMax bounds the runs (executions), as shrink.Options.RunsMax does;
	// required.
	RunsMax int
	// BaseSeed is the first seed of the fresh runs; it also seeds the
	// novelty strategy's choices of corpus entries and branch seeds.
	BaseSeed uint64
	// Workers runs a generation's runs in parallel (0: every core). No
	// answer depends on it.
	Workers int
	// PCTDepth is the pct strategy's bug depth (0: harness.PCTDepthDefault).
	PCTDepth int
	// Generation is the number of runs planned at once (0: GenerationDefault).
	// Answers depend on it (the corpus is updated between generations).
	Generation int
	// Context, when non-nil, stops the hunt between generations once done
	// (a wall-time cap): Result.Stopped is set.
	Context context.Context
	// Progress, when non-nil, gets a line per generation.
	Progress io.Writer
}

// GenerationDefault is the number of runs per generation: enough to keep a
// few cores busy, few enough that the corpus is fresh.
const GenerationDefault = 16

// Limits of the novelty strategy's memory.
const (
	// corpusMax bounds the corpus; the oldest entry goes first. A prefix of
	// a long run is some thousands of choices.
	corpusMax = 256
	// featuresPerRunMax bounds the new features one run reports.
	featuresPerRunMax = 1 << 12
	// featuresMax bounds the features remembered over a hunt.
	featuresMax = 1 << 22
)

// Result is the outcome of a hunt.
type Result struct {
	// Runs is the number of runs made up to and including the first
	// failure (all runs made when none failed).
	Runs int
	// Failure is the first failing run (nil if none failed): its config
	// (Scheduler "splice" for a branch), outcome and every choice it made.
	Failure *Run
	// Events is the total of events run, failing run included.
	Events uint64
	// Corpus and Features are the novelty strategy's corpus entries made
	// and distinct features seen.
	Corpus, Features int
	// Stopped reports that the context ended the hunt first.
	Stopped bool
}

// Run is one run of a hunt.
type Run struct {
	Config   harness.Config
	Choices  []scheduler.Choice
	Outcome  *harness.Outcome
	Branched bool // a branch of an earlier run, not a plain seed
	// Parent and Prefix, for a branch: the seed of the run branched from
	// and how many of its choices were replayed.
	Parent uint64
	Prefix int
}

// planned is a run to make: a fresh seed or a branch.
type planned struct {
	seed   uint64
	prefix *entry // nil: a fresh seed
}

// entry is a corpus run: its seed, its choices up to its first novelty and
// its resolved config (a branch runs on the same cluster).
type entry struct {
	seed   uint64
	prefix []scheduler.Choice
	config harness.Config
}

// done is a finished run with what the merge needs.
type done struct {
	run      Run
	features []seen
	err      error
}

// seen is a feature first seen in a run, at a choice index.
type seen struct {
	feature uint64
	choice  int
}

// Hunt searches cfg with o.Strategy until a run fails or o.RunsMax runs are
// made. cfg's Seed and Scheduler are set per run.
func Hunt(cfg harness.Config, o Options) (*Result, error) {
	if o.Strategy == "" {
		o.Strategy = Random
	}
	if !slices.Contains(Strategies, o.Strategy) {
		return nil, fmt.Errorf("unknown strategy %q (known: %v)", o.Strategy, Strategies)
	}
	if o.RunsMax <= 0 {
		return nil, fmt.Errorf("hunt: RunsMax %d: want at least 1 run", o.RunsMax)
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	if o.Generation <= 0 {
		o.Generation = GenerationDefault
	}
	cfg, _, err := cfg.ResolveShared() // each fresh seed draws its own swarm cluster
	if err != nil {
		return nil, err
	}
	h := &hunter{cfg: cfg, o: o, features: map[uint64]bool{}}
	return h.hunt()
}

type hunter struct {
	cfg      harness.Config
	o        Options
	fresh    uint64 // fresh seeds planned so far
	corpus   []*entry
	made     int // corpus entries ever made
	features map[uint64]bool
}

func (h *hunter) hunt() (*Result, error) {
	res := &Result{}
	for gen := 0; res.Runs < h.o.RunsMax; gen++ {
		if h.o.Context != nil && h.o.Context.Err() != nil {
			res.Stopped = true
			break
		}
		plans := h.plan(gen, min(h.o.Generation, h.o.RunsMax-res.Runs))
		results := h.runAll(plans)
		for i := range results {
			d := &results[i]
			if d.err != nil {
				return nil, d.err
			}
			res.Runs++
			res.Events += d.run.Outcome.Result.Events
			if d.run.Outcome.Result.Failed() {
				res.Failure = &d.run
				break
			}
			h.merge(d)
		}
		res.Corpus, res.Features = h.made, len(h.features)
		if h.o.Progress != nil {
			fmt.Fprintf(h.o.Progress, "hunt: %s, %d runs, corpus %d, features %d\n", h.o.Strategy, res.Runs, len(h.corpus), len(h.features))
		}
		if res.Failure != nil {
			break
		}
	}
	return res, nil
}

// plan lists generation gen's runs: fresh seeds in order, and for novelty
// every other run a branch from a corpus entry drawn with a stream of the
// base seed and the generation.
func (h *hunter) plan(gen, n int) []planned {
	rng := rand.New(rand.NewPCG(h.o.BaseSeed, 0xb4a9c0ffee+uint64(gen)))
	plans := make([]planned, n)
	for i := range plans {
		if h.o.Strategy == Novelty && i%2 == 1 && len(h.corpus) > 0 {
			plans[i] = planned{seed: rng.Uint64(), prefix: h.corpus[rng.IntN(len(h.corpus))]}
			continue
		}
		plans[i] = planned{seed: h.o.BaseSeed + h.fresh}
		h.fresh++
	}
	return plans
}

// runAll runs plans on the workers; results come back in plan order.
func (h *hunter) runAll(plans []planned) []done {
	results := make([]done, len(plans))
	var wg sync.WaitGroup
	next := make(chan int)
	for range min(h.o.Workers, len(plans)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				results[i] = h.runOne(plans[i])
			}
		}()
	}
	for i := range plans {
		next <- i
	}
	close(next)
	wg.Wait()
	return results
}

// runOne makes one run, recording its choices and, for novelty, the features
// new to the run with the choice index where each first showed.
func (h *hunter) runOne(p planned) done {
	cfg := h.cfg
	cfg.Seed = p.seed
	var inner scheduler.Chooser
	switch {
	case p.prefix != nil:
		cfg = p.prefix.config
		cfg.Seed, cfg.Scheduler = p.seed, harness.SchedulerSplice
		inner = scheduler.NewSplice(p.prefix.prefix, p.seed)
	case h.o.Strategy == PCT:
		cfg.Scheduler, cfg.PCTDepth = harness.SchedulerPCT, h.o.PCTDepth
		c, err := harness.NewChooser(cfg)
		if err != nil {
			return done{err: err}
		}
		inner = c
	default:
		inner = scheduler.NewSeeded(p.seed)
	}
	rec := &scheduler.Recorder{Inner: inner}
	ro := harness.RunOptions{Chooser: rec}
	var features []seen
	if h.o.Strategy == Novelty {
		ro.Ready = func(w *sim.World) { w.AddProperty(noveltyProbe(rec, &features)) }
	}
	out, err := harness.Run(cfg, ro)
	if err != nil {
		return done{err: fmt.Errorf("seed %d: %w", p.seed, err)}
	}
	r := Run{Config: out.Config, Choices: rec.Log, Outcome: out}
	if p.prefix != nil {
		r.Branched, r.Parent, r.Prefix = true, p.prefix.seed, len(p.prefix.prefix)
	}
	return done{run: r, features: features}
}

// noveltyProbe is an always-property that never fails: after each event it
// notes the feature of the node that stepped, the first time the run sees it.
func noveltyProbe(rec *scheduler.Recorder, out *[]seen) sim.Property {
	local := map[uint64]bool{}
	last := uint64(0)
	return sim.Property{Name: "novelty-probe", Kind: sim.Always, Check: func(w *sim.World) error {
		id := w.Current()
		if w.Events() == last || id < 0 || int(id) >= w.Len() || len(*out) >= featuresPerRunMax {
			return nil
		}
		last = w.Events()
		a := w.Agent(id)
		if a == nil {
			return nil
		}
		f, ok := Feature(a, w.Name(id))
		if ok && !local[f] {
			local[f] = true
			*out = append(*out, seen{feature: f, choice: len(rec.Log)})
		}
		return nil
	}}
}

// merge adds a passing run's features to those seen and, if it saw one
// first, the run to the corpus with its choices up to that point.
func (h *hunter) merge(d *done) {
	first := -1
	for _, s := range d.features {
		if h.features[s.feature] || len(h.features) >= featuresMax {
			continue
		}
		h.features[s.feature] = true
		if first < 0 {
			first = s.choice
		}
	}
	if first < 0 {
		return
	}
	if len(h.corpus) >= corpusMax {
		h.corpus = slices.Delete(h.corpus, 0, 1)
	}
	h.corpus = append(h.corpus, &entry{seed: d.run.Config.Seed, prefix: slices.Clone(d.run.Choices[:first]), config: d.run.Config})
	h.made++
}

// WriteTrace re-runs r from its recorded choices with a trace written to w,
// and checks that the replay ends as r did: the trace then replays with
// simrun -replay whatever the strategy that made the run.
func (r *Run) WriteTrace(w io.Writer) (*harness.Outcome, error) {
	out, err := harness.Run(r.Config, harness.RunOptions{Chooser: scheduler.NewReplay(r.Choices), Trace: w})
	if err != nil {
		return nil, err
	}
	want, got := r.Outcome.Result, out.Result
	if got.Verdict != want.Verdict || got.Property != want.Property || got.Hash != want.Hash {
		return out, fmt.Errorf("the replay of the run diverged (%s %s, hash %s; want %s %s, hash %s)",
			got.Verdict, got.Property, got.HashString(), want.Verdict, want.Property, want.HashString())
	}
	return out, nil
}
