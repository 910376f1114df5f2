package scenario

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/orrery-sim/orrery/faults"
	"github.com/orrery-sim/orrery/sim"
	"github.com/orrery-sim/orrery/traces"
)

// notable are the events run prints unless asked for all of them: what faults
// and the run's verdict did, not the protocol's chatter.
var notable = []traces.Kind{traces.KindCrash, traces.KindRestart, traces.KindPause, traces.KindResume,
	traces.KindFault, traces.KindPhase, traces.KindFail}

// cmdFault applies a fault of the vocabulary now: "crash n1", "partition n1 | n2".
func cmdFault(e *Env, _ []string, line string) (string, error) {
	f, err := faults.Parse(strings.TrimSpace(line))
	if err != nil {
		return "", err
	}
	if err := e.Faults.Apply(f); err != nil {
		return "", err
	}
	return e.Events(), nil
}

// cmdFaults schedules a plan, its times counted from now.
func cmdFaults(e *Env, _ []string, line string) (string, error) {
	text := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), "faults"))
	plan, err := faults.ParsePlan(text)
	if err != nil {
		return "", err
	}
	if err := e.Faults.Schedule(plan, e.W.Now()); err != nil {
		return "", err
	}
	return fmt.Sprintf("scheduled %d faults from %s", len(plan), traces.FormatTime(int64(e.W.Now()))), nil
}

// cmdRun runs virtual time: run DURATION [verbose]. It prints fault, phase and
// failure events (every event with verbose) and the time reached.
func cmdRun(e *Env, args []string, _ string) (string, error) {
	if len(args) == 0 || len(args) > 2 || (len(args) == 2 && args[1] != "verbose") {
		return "", errors.New("usage: run DURATION [verbose]")
	}
	d, err := sim.ParseDuration(args[0])
	if err != nil {
		return "", fmt.Errorf("run %s: %v", args[0], err)
	}
	e.W.RunUntil(e.W.Now() + d)
	kinds := notable
	if len(args) == 2 {
		kinds = nil
	}
	out := e.Events(kinds...)
	if r := e.W.Failure(); r != nil {
		return strings.TrimSpace(out + "\nstopped by " + r.Property + " at " + traces.FormatTime(int64(r.At))), nil
	}
	return strings.TrimSpace(out + "\nnow " + traces.FormatTime(int64(e.W.Now()))), nil
}

// cmdStep runs the next event (or the next N) and prints every event it emits.
func cmdStep(e *Env, args []string, _ string) (string, error) {
	n := 1
	if len(args) == 1 {
		var err error
		if n, err = strconv.Atoi(args[0]); err != nil || n < 1 || n > stepCountMax {
			return "", fmt.Errorf("step %s: want a count from 1 to %d", args[0], stepCountMax)
		}
	} else if len(args) > 1 {
		return "", errors.New("usage: step [COUNT]")
	}
	for i := 0; i < n; i++ {
		if !e.W.Step() {
			break
		}
	}
	return e.finished(e.Events()), nil
}

// finished appends why the world stopped, if it did.
func (e *Env) finished(out string) string {
	switch {
	case e.W.Failure() != nil:
		return out // the fail event says it
	case e.W.NextTime() == sim.Never:
		return strings.TrimSpace(out + "\nnothing left to run")
	}
	return out
}

// cmdDeliver runs events until a message is delivered (to the node given, if
// any) and prints every event it ran on the way.
func cmdDeliver(e *Env, args []string, _ string) (string, error) {
	if len(args) > 1 {
		return "", errors.New("usage: deliver [NODE]")
	}
	want := ""
	if len(args) == 1 {
		if _, err := e.Node(args[0]); err != nil {
			return "", err
		}
		want = args[0]
	}
	for i := 0; i < deliverStepsMax; i++ {
		if !e.W.Step() {
			break
		}
		e.W.FlushTrace()
		for _, ev := range e.events {
			if ev.Kind == traces.KindRecv && (want == "" || ev.Node == want) {
				return e.Events(), nil
			}
		}
	}
	return e.finished(e.Events() + "\nno delivery"), nil
}

// cmdSubmit injects a client request: submit NODE WORDS...
func cmdSubmit(e *Env, args []string, _ string) (string, error) {
	if len(args) < 1 {
		return "", errors.New("usage: submit NODE PAYLOAD...")
	}
	id, err := e.Node(args[0])
	if err != nil {
		return "", err
	}
	var payload any = strings.Join(args[1:], " ")
	if e.opts.Payload != nil {
		if payload, err = e.opts.Payload(e, args[1:]); err != nil {
			return "", err
		}
	}
	e.W.Request(e.W.Now(), id, payload)
	return fmt.Sprintf("request to %s: %s", args[0], sim.Describe(payload)), nil
}

// cmdState prints nodes' state (every server when none is named).
func cmdState(e *Env, args []string, _ string) (string, error) {
	ids, err := e.Nodes(args)
	if err != nil {
		return "", err
	}
	var lines []string
	for _, id := range ids {
		lines = append(lines, e.W.Name(id)+": "+e.State(id))
	}
	return strings.Join(lines, "\n"), nil
}

// State renders one agent: down, or its Describe (paused ones say so).
func (e *Env) State(id sim.NodeID) string {
	switch {
	case !e.W.Up(id):
		return "down"
	case e.W.Agent(id) == nil:
		return "not started"
	}
	s := sim.Describe(e.W.Agent(id))
	if e.Inst.Describe != nil {
		s = e.Inst.Describe(e.W, id)
	}
	if e.W.BoxPaused(e.W.BoxOf(id)) {
		s = "paused; " + s
	}
	return s
}

// cmdCheck judges the always, eventually and at-end properties now.
func cmdCheck(e *Env, args []string, _ string) (string, error) {
	if len(args) > 0 {
		return "", errors.New("usage: check")
	}
	var lines []string
	for _, p := range e.W.Properties() {
		if p.Kind == sim.Sometimes {
			continue
		}
		verdict := "ok"
		if err := p.Check(e.W); err != nil {
			verdict = err.Error()
		}
		lines = append(lines, fmt.Sprintf("%s (%s): %s", p.Name, p.Kind, verdict))
	}
	if len(lines) == 0 {
		return "no properties", nil
	}
	return strings.Join(lines, "\n"), nil
}

// cmdHistory prints the client operations so far.
func cmdHistory(e *Env, _ []string, _ string) (string, error) {
	var lines []string
	for _, op := range e.W.History().Ops {
		client := "external"
		if op.Client != sim.External {
			client = e.W.Name(op.Client)
		}
		line := fmt.Sprintf("op%d %s %s at %s", op.ID, client, describe(op.Input), traces.FormatTime(int64(op.Call)))
		if op.Done {
			line += fmt.Sprintf(" → %s at %s", describe(op.Output), traces.FormatTime(int64(op.Return)))
		} else {
			line += " → open"
		}
		lines = append(lines, line)
	}
	if len(lines) == 0 {
		return "no operations", nil
	}
	return strings.Join(lines, "\n"), nil
}

// describe renders a value with its Describe method, else its String method,
// else as sim.Describe does.
func describe(v any) string {
	if _, ok := v.(sim.Describer); !ok {
		if s, ok := v.(fmt.Stringer); ok {
			return s.String()
		}
	}
	return sim.Describe(v)
}

// cmdCounters prints the fault counters (faults.Counters).
func cmdCounters(e *Env, _ []string, _ string) (string, error) {
	var parts []string
	for _, o := range faults.Counters(e.W.Stats()) {
		parts = append(parts, o.Key+" "+o.Value)
	}
	if len(parts) == 0 {
		return "no faults", nil
	}
	return strings.Join(parts, ", "), nil
}

// cmdHealAll does what the liveness phase does: heal everything and stop
// scheduled faults.
func cmdHealAll(e *Env, _ []string, _ string) (string, error) {
	e.Faults.HealAll()
	return e.Events(), nil
}
