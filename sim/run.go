package sim

import (
	"fmt"
	"slices"
	"strings"

	"github.com/orrery-sim/orrery/internal/exitcode"
	"github.com/orrery-sim/orrery/property"
	"github.com/orrery-sim/orrery/traces"
)

// PropertyKind says when a property is judged: package property's Kind,
// shared with the model checker (explore).
type PropertyKind = property.Kind

// Property kinds (package property).
const (
	Always     = property.Always
	Sometimes  = property.Sometimes
	Eventually = property.Eventually
	AtEnd      = property.AtEnd
)

// Property is a named check of a world. Check returns nil when the property holds,
// or an error saying why not. The engine reads an Eventually property's error
// only when the run fails on it, at once, on the state it was checked on
// (the check runs after every event of the liveness phase, and fails at most
// once): its message may be built when read (Error), not on every check.
type Property struct {
	Name  string
	Kind  PropertyKind
	Check func(w *World) error
}

type propertyState struct {
	Property
	held bool // Sometimes: held at least once
}

// AddProperty adds a property to be judged during the run.
func (w *World) AddProperty(p Property) {
	w.props = append(w.props, &propertyState{Property: p})
}

// Properties lists the properties, in the order they were added.
func (w *World) Properties() []Property {
	out := make([]Property, len(w.props))
	for i, p := range w.props {
		out[i] = p.Property
	}
	return out
}

// OnLiveness registers fn to run when the safety phase ends: the nemesis heals
// the network and restarts what it crashed.
func (w *World) OnLiveness(fn func(*World)) { w.onLive = append(w.onLive, fn) }

func (w *World) checkAlways() {
	for _, p := range w.props {
		switch p.Kind {
		case Always:
			if err := w.check(p); err != nil {
				w.fail(VerdictSafety, p.Name, err.Error())
				return
			}
		case Sometimes:
			if !p.held && w.check(p) == nil {
				p.held = true
			}
		}
	}
}

// check runs a property's Check, noting which one runs so that a panic in it
// names the property (recoverPanic).
func (w *World) check(p *propertyState) error {
	w.checking = p.Name
	err := p.Check(w)
	w.checking = ""
	return err
}

// Phase is the part of the run: faults first, then a liveness phase.
type Phase uint8

// The phases of a run.
const (
	PhaseSafety Phase = iota
	PhaseLiveness
)

// Verdict is the outcome of a run.
type Verdict uint8

// Verdicts, with the exit codes of simrun.
const (
	VerdictPass     Verdict = iota // every property held
	VerdictSafety                  // an always, at-end or transition property failed: exit 1
	VerdictLiveness                // an eventually or sometimes property failed: exit 3
	VerdictPanic                   // a handler, action, property check or the engine panicked: exit 4
)

var verdictNames = [...]string{"pass", "safety", "liveness", "panic"}

func (v Verdict) String() string { return verdictNames[v] }

// ExitCode is the process exit code for a verdict.
func (v Verdict) ExitCode() int {
	return [...]int{exitcode.OK, exitcode.Safety, exitcode.Liveness, exitcode.Panic}[v]
}

// ParseVerdict is the inverse of Verdict.String.
func ParseVerdict(s string) (Verdict, error) {
	for i, n := range verdictNames {
		if n == s {
			return Verdict(i), nil
		}
	}
	return 0, fmt.Errorf("unknown verdict %q", s)
}

// Result is the outcome of a run.
type Result struct {
	Verdict  Verdict
	Property string // the property that failed, or "panic"
	Reason   string
	At       Time   // virtual time of the failure
	Seq      uint64 // the trace event that reports the failure (its fail event, numbered as in the trace file)
	Events   uint64
	End      Time
	Hash     uint64
	Stack    string // for panics; not part of the trace
	Stats    Stats
	// Coverage lists the Sometimes properties and whether each held.
	Coverage []Coverage
}

// Failed reports whether the run found a problem.
func (r *Result) Failed() bool { return r.Verdict != VerdictPass }

// HashString renders the trace hash as 16 hex digits.
func (r *Result) HashString() string { return fmt.Sprintf("%016x", r.Hash) }

func (w *World) fail(v Verdict, property, reason string) {
	if w.result != nil {
		return
	}
	// Seq names the fail event emitted below, so reports, -until and the
	// viewer number it as the trace file does.
	w.result = &Result{Verdict: v, Property: property, Reason: reason, At: w.now, Seq: w.seq + 1, Stack: w.stack}
	w.emit(traces.KindFail, External, External, property, property+": "+reason)
}

// Failure returns the verdict so far, nil while every property holds.
func (w *World) Failure() *Result { return w.result }

// Run runs the safety phase for the given virtual duration, then the liveness
// phase: OnLiveness hooks heal the world and the run continues until every
// Eventually property holds or the bound passes. AtEnd and Sometimes properties
// are judged last (Sometimes ones only recorded in Result.Coverage after
// JudgeSometimesOverCampaign); a run whose liveness bound passes with an
// Eventually property pending is judged on its AtEnd properties first, and
// one that fails there is the verdict (safety outranks liveness).
//
// A panic in a hook or a property ends the run with a Panic verdict, as one in
// a handler does. With StopAfter the run stops at that event, in whatever phase.
func (w *World) Run(safety, liveness Time) Result {
	w.RunUntil(safety)
	if !w.halted() {
		w.guard(func() { w.liveness(safety + liveness) })
	}
	if !w.halted() || (w.result == nil && w.ended() && !(w.stopAt > 0 && w.seq >= w.stopAt)) {
		w.guard(w.judgeEnd)
	}
	return w.finish()
}

func (w *World) liveness(deadline Time) {
	w.phase = PhaseLiveness
	w.liveAt = w.now
	w.emit(traces.KindPhase, External, External, "liveness", "liveness phase: faults healed")
	for _, fn := range w.onLive {
		fn(w)
	}
	// Let what the hooks scheduled for this instant (restarted agents' Start) run
	// before judging, or a property could hold vacuously over agents not yet back.
	w.RunUntil(w.now)
	for !w.halted() {
		pending := w.pendingEventually()
		if len(pending) == 0 {
			return
		}
		if next := w.NextTime(); next > deadline {
			why := pending[0].err.Error() // on the state it was checked on
			w.now = max(w.now, deadline)
			// The run ends here either way: an at-end property that fails
			// on it is the verdict, since a safety violation outranks a
			// property that did not hold in time (and would be lost under it).
			if w.judgeAtEnd(); w.result == nil {
				w.fail(VerdictLiveness, pending[0].name, fmt.Sprintf("still pending after %v of liveness phase: %s",
					w.now-w.liveAt, why))
			}
			return
		}
		w.Step()
	}
}

// judgeAtEnd checks the AtEnd properties, in order, failing the run with
// the first that fails.
func (w *World) judgeAtEnd() {
	for _, p := range w.props {
		if p.Kind == AtEnd {
			if err := w.check(p); err != nil {
				w.fail(VerdictSafety, p.Name, err.Error())
				return
			}
		}
	}
}

// pendingProperty is an Eventually property that does not hold yet, and why
// (read only if the run fails on it).
type pendingProperty struct {
	name string
	err  error
}

func (w *World) pendingEventually() []pendingProperty {
	var out []pendingProperty
	for _, p := range w.props {
		if p.Kind == Eventually {
			if err := w.check(p); err != nil {
				out = append(out, pendingProperty{p.Name, err})
			}
		}
	}
	return out
}

func (w *World) judgeEnd() {
	if w.judgeAtEnd(); w.result != nil {
		return
	}
	var never []string
	for _, p := range w.props {
		if p.Kind == Sometimes && !p.held {
			never = append(never, p.Name)
		}
	}
	if len(never) > 0 && !w.sometimesLater {
		w.fail(VerdictLiveness, never[0], "never held during the run (sometimes: "+strings.Join(never, ", ")+")")
	}
}

func (w *World) finish() Result {
	w.FlushTrace()
	r := Result{}
	if w.result != nil {
		r = *w.result
	}
	r.Events, r.End, r.Hash, r.Stats = w.seq, w.now, w.hash, w.stats
	r.Coverage = w.coverage()
	return r
}

// Stats counts what happened in a run.
type Stats struct {
	Starts, Delivered, Timers, Sent, Dropped, Lost, Duplicated uint64
	Crashes, Restarts, Pauses                                  uint64
	Faults                                                     map[string]uint64 // by fault kind
}

// FaultKinds lists the fault counters' keys, sorted.
func (s *Stats) FaultKinds() []string {
	keys := make([]string, 0, len(s.Faults))
	for k := range s.Faults { // lint:ordered sorted below
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
