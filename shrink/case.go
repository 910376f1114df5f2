package shrink

import (
	"fmt"
	"strings"

	"github.com/orrery-sim/orrery/faults"
	"github.com/orrery-sim/orrery/harness"
	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/scheduler"
	"github.com/orrery-sim/orrery/sim"
	"github.com/orrery-sim/orrery/traces"
)

// Case is one run: its configuration and every answer of its scheduler.
type Case struct {
	Config  harness.Config
	Choices []scheduler.Choice
	// keys, when there is one per choice, say who asked each choice (a case
	// the shrinker ran and recorded), so that its candidates replay keyed:
	// an edit that changes one agent's questions leaves the answers of the
	// others where they were (scheduler.KeyedReplay).
	keys []scheduler.Key
	// times, beside keys, hold the virtual time (sim.Time, in nanoseconds)
	// each choice was asked at, as scheduler.KeyRecorder logs it.
	times []int64
}

// replayMode is how a candidate's log answers its run's questions.
type replayMode int

const (
	// plainReplay: per purpose, in order (scheduler.Replay).
	plainReplay replayMode = iota
	// keyedReplay: per asker, and link (scheduler.KeyedReplay).
	keyedReplay
	// timedReplay: keyed, and each key's answers kept in time
	// (scheduler.NewTimedReplay).
	timedReplay
	replayModes
)

func (m replayMode) String() string { return [...]string{"plain", "keyed", "timed"}[m] }

// replayer is the chooser a candidate made from c runs with, in mode m when
// c knows who asked each choice (and when, for timedReplay), else a
// scheduler.Replay. Either way the run is recorded again, and the recorded
// log replays identically with scheduler.Replay (Case.Run, a trace file).
func (c Case) replayer(m replayMode) scheduler.Chooser {
	keyed := len(c.keys) == len(c.Choices) && len(c.keys) > 0
	switch {
	case m == timedReplay && keyed && len(c.times) == len(c.Choices):
		return scheduler.NewTimedReplay(c.Choices, c.keys, c.times)
	case m >= keyedReplay && keyed:
		return scheduler.NewKeyedReplay(c.Choices, c.keys)
	}
	return scheduler.NewReplay(c.Choices)
}

// FromTrace returns the case a trace file recorded: the header's config and the
// choices of its events, in order.
func FromTrace(t *traces.Trace) (Case, error) {
	var c Case
	var err error
	if c.Config, err = harness.DecodeConfig(t.Header.Config); err != nil {
		return c, fmt.Errorf("header config: %v", err)
	}
	for _, e := range t.Events {
		for _, s := range e.Choices {
			choice, err := traces.DecodeChoice(s)
			if err != nil {
				return c, fmt.Errorf("event %d: %v", e.Seq, err)
			}
			c.Choices = append(c.Choices, choice)
		}
	}
	return c, nil
}

// FromSeed runs cfg with its seeded scheduler and returns the case it recorded
// (the resolved config and the choice log) with the outcome.
func FromSeed(cfg harness.Config) (Case, *harness.Outcome, error) {
	rec := &scheduler.Recorder{Inner: scheduler.NewSeeded(cfg.Seed)}
	out, err := harness.Run(cfg, harness.RunOptions{Chooser: rec})
	if err != nil {
		return Case{}, nil, err
	}
	return Case{Config: out.Config, Choices: rec.Log}, out, nil
}

// Run re-runs the case from its choices. o.Chooser is replaced.
func (c Case) Run(o harness.RunOptions) (*harness.Outcome, error) {
	o.Chooser = scheduler.NewReplay(c.Choices)
	return harness.Run(c.Config, o)
}

// record re-runs the case and records the choices the run actually asked for,
// so that the returned case's log is exactly its schedule: unused choices are
// gone and questions past the end of the log appear with their answer, the
// simplest (scheduler.Simplest).
func (c Case) record() (Case, *harness.Outcome, error) {
	rc, out, _, err := bounded(c.Config, c.replayer(plainReplay), 0)
	return rc, out, err
}

// bounded runs cfg with inner's answers, recorded, and gives up (aborted) once
// the run passes eventsMax events (0: no bound): the world stops stepping
// there (harness.RunOptions.Until), in whichever phase, and a run stopped so
// is not judged at its end (a linearizability check of a long buggy history
// is the costliest part of a run), nor traced.
func bounded(cfg harness.Config, inner scheduler.Chooser, eventsMax uint64) (c Case, out *harness.Outcome, aborted bool, err error) {
	rec := &scheduler.KeyRecorder{Inner: inner}
	o := harness.RunOptions{Chooser: rec, Ready: func(w *sim.World) {
		// Choices made while the world is set up (the nemesis's plan, the
		// swarm's draws) are asked by nobody; from here on, by the agent
		// whose handler runs.
		asker := func() int32 { return int32(w.Current()) }
		receiver := func() int32 {
			to, ok := w.RoutingTo()
			if !ok {
				return -1
			}
			return int32(to)
		}
		rec.Asker, rec.Receiver = asker, receiver
		rec.Clock = func() int64 { return int64(w.Now()) }
		if k, ok := inner.(*scheduler.KeyedReplay); ok {
			k.Asker, k.Receiver, k.Clock = asker, receiver, rec.Clock
		}
	}}
	if eventsMax > 0 {
		o.Until = eventsMax + 1
	}
	out, err = harness.Run(cfg, o) // a handler's panic comes back as a verdict
	if err != nil {
		return c, nil, false, err
	}
	if eventsMax > 0 && out.Result.Events > eventsMax {
		return c, nil, true, nil
	}
	return Case{Config: out.Config, Choices: rec.Log, keys: rec.Keys, times: rec.Times}, out, false, nil
}

// isDrawn reports whether the fault spec is a nemesis mode rather than a plan.
func isDrawn(spec string) bool {
	spec = strings.TrimSpace(spec)
	return spec == "swarm" || spec == "default"
}

// setup builds, without running it, the world the harness would build for c:
// the protocol's agents on a world whose chooser replays c's log.
func setup(c Case) (*sim.World, *protocols.Instance, harness.Config, error) {
	cfg, p, err := c.Config.Resolve()
	if err != nil {
		return nil, nil, cfg, err
	}
	w := sim.New(sim.Options{Chooser: scheduler.NewReplay(c.Choices),
		Network: sim.NetworkConfig{DelayMin: cfg.DelayMin, DelayMax: cfg.DelayMax, FIFO: cfg.FIFO}})
	inst, err := p.Setup(w, protocolOptions(cfg))
	if err != nil {
		return nil, nil, cfg, err
	}
	return w, inst, cfg, nil
}

// Plan returns the fault plan of c: the parsed plan text, or for a nemesis
// mode the plan the nemesis draws from c's fault choices, as an explicit plan
// whose text replays it. A run with no faults has an empty plan.
func Plan(c Case) (faults.Plan, error) {
	spec := strings.TrimSpace(c.Config.Faults)
	switch {
	case spec == "" || spec == "none":
		return nil, nil
	case !isDrawn(spec):
		return faults.ParsePlan(spec)
	}
	w, inst, cfg, err := setup(c)
	if err != nil {
		return nil, err
	}
	return faults.DrawPlan(w, faults.Options{Spec: cfg.Faults, Servers: inst.Servers, Tolerates: inst.Tolerates, Safety: cfg.Safety,
		Reconfigure: inst.Reconfigure, Spares: inst.Spares}), nil
}

// planText renders a plan for Config.Faults.
func planText(p faults.Plan) string {
	if len(p) == 0 {
		return "none"
	}
	return p.String()
}

// protocolOptions are the options harness.Run gives the protocol's Setup.
func protocolOptions(cfg harness.Config) protocols.Options {
	return cfg.ProtocolOptions()
}
