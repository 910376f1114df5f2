package kv

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	lin "github.com/orrery-sim/orrery/checkers/linearizability"
	"github.com/orrery-sim/orrery/sim"
)

// Property names, as reported in verdicts.
const (
	PropLinearizable   = "linearizability"
	PropWriteAfterHeal = "write-after-heal"
)

// Linearizable is the AtEnd property that the history's Op operations are
// linearizable with respect to the key-value map (checkers/linearizability's
// KVModel). Operations a client gave up on stay open: they may have taken
// effect or not. A completed operation whose output is not a Result (a
// request a server refused) is left out: it had no effect.
func Linearizable() sim.Property { return LinearizableWith(lin.KVModel(), convert) }

func convert(op *sim.Op) (lin.KVInput, lin.KVOutput, bool) {
	in, ok := op.Input.(Op)
	if !ok {
		return lin.KVInput{}, lin.KVOutput{}, false
	}
	if !op.Done {
		return ConvertOp(in), lin.KVOutput{}, true
	}
	out, ok := op.Output.(Result)
	if !ok {
		return lin.KVInput{}, lin.KVOutput{}, false
	}
	return ConvertOp(in), ConvertResult(in, out), true
}

var linOps = [kindCount]lin.KVOp{
	Get: lin.KVGet, Put: lin.KVPut, Delete: lin.KVDelete, Exists: lin.KVExists,
	Count: lin.KVCount, Append: lin.KVAppend, CAS: lin.KVCAS,
}

// ConvertOp is an operation in the linearizability checker's terms.
func ConvertOp(o Op) lin.KVInput {
	return lin.KVInput{Op: linOps[o.Kind], Key: o.Key, Value: o.Value, Expected: o.Expect}
}

// ConvertResult is a result in the linearizability checker's terms.
func ConvertResult(o Op, r Result) lin.KVOutput {
	switch o.Kind {
	case Exists:
		return lin.KVOutput{Ok: r.Found}
	case CAS:
		return lin.KVOutput{Ok: r.OK}
	case Get:
		return lin.KVOutput{Value: r.Value, Absent: !r.Found}
	}
	return lin.KVOutput{Value: r.Value, Count: r.Count}
}

// LinearizableWith is Linearizable for a protocol with operation types of
// its own: convert reads one history operation (its output only when
// op.Done), ok false to leave it out, and model judges them. There is no
// timeout: a verdict that depended on the wall clock would break
// determinism. The explanation is LinearizabilityFailure's.
func LinearizableWith[S, I, O any](model lin.Model[S, I, O], convert func(op *sim.Op) (in I, out O, ok bool)) sim.Property {
	return sim.Property{Name: PropLinearizable, Kind: sim.AtEnd, Check: func(w *sim.World) error {
		ops := w.History().Ops
		history := make([]lin.Operation[I, O], 0, len(ops))
		ids := make([]sim.OpID, 0, len(ops))
		for i := range ops {
			op := &ops[i]
			in, out, ok := convert(op)
			if !ok {
				continue
			}
			h := lin.Operation[I, O]{ClientID: int(op.Client), Input: in, Call: int64(op.Call), Open: !op.Done}
			if op.Done {
				h.Output, h.Return = out, int64(op.Return)
			}
			history, ids = append(history, h), append(ids, op.ID)
		}
		r := lin.Check(context.Background(), model, history, lin.Options{Workers: 1})
		if r.Verdict == lin.Ok {
			return nil
		}
		return LinearizabilityFailure(w, r, ids)
	}}
}

// LinearizabilityFailure is the error of r, a failed check of the operations
// ids of w's history (in the order the checker was given them): how many
// there were and the checker's explanation, with clients named by agent and
// virtual times in seconds. A history with logical times (sim.History.Logical:
// under exploration) shows each time as tN, the history's N-th invocation or
// return, with what the explored clock read then ("t3@400ms") when the
// exploration is timed (sim.History.Clock), and names a request from outside
// the world by the agent it went to ("client→n2").
func LinearizabilityFailure(w *sim.World, r lin.Result, ids []sim.OpID) error {
	h := w.History()
	e := r.Explain()
	e.ClientName = func(id int) string { return w.Name(sim.NodeID(id)) }
	e.Time = Seconds
	head := strconv.Itoa(len(ids)) + " operations"
	switch {
	case h.Logical && h.Clock != nil:
		e.Time = func(t int64) string { return clockedTime(h.Clock, t) }
		e.OpClient = func(i int) string { return opClient(w, h, ids[i]) }
		head += " (logical times: tN@C is the history's N-th invocation or return, when the explored clock read C; only timers advance it, so N orders events that share a reading)"
	case h.Logical:
		e.Time = LogicalTime
		e.OpClient = func(i int) string { return opClient(w, h, ids[i]) }
		head += " (no clock under exploration: tN is the history's N-th invocation or return)"
	}
	return fmt.Errorf("%s: %s", head, strings.TrimSpace(e.String()))
}

// clockedTime renders logical time t as LogicalTime does, with what the
// clock read then: "t3@400ms".
func clockedTime(clock []sim.Time, t int64) string {
	if t < 0 || t >= int64(len(clock)) {
		return LogicalTime(t)
	}
	return LogicalTime(t) + "@" + clock[t].String()
}

// LogicalTime renders a logical time of a history without a clock
// (sim.History.Logical), counting from 0, as its ordinal: "t1" for 0.
func LogicalTime(t int64) string { return "t" + strconv.FormatInt(t+1, 10) }

// opClient names the client of operation id: its agent, or for a request
// from outside the world the agent it went to, if known.
func opClient(w *sim.World, h *sim.History, id sim.OpID) string {
	if c := h.Ops[id].Client; c != sim.External {
		return w.Name(c)
	}
	if to, ok := h.Target(id); ok {
		return "client→" + w.Name(to)
	}
	return w.Name(sim.External)
}

// Seconds renders a virtual time in seconds, to the microsecond, without
// trailing zeros: "1.25s", "0.000375s".
func Seconds(t int64) string {
	sign := ""
	if t < 0 {
		sign, t = "-", -t
	}
	s := strconv.FormatInt(t/int64(sim.Second), 10)
	if frac := (t % int64(sim.Second)) / int64(sim.Microsecond); frac != 0 {
		s += "." + strings.TrimRight(fmt.Sprintf("%06d", frac), "0")
	}
	return sign + s + "s"
}

// WriteAfterHeal adds the liveness property write-after-heal to w: once the
// nemesis has healed the cluster (the liveness phase began), some write
// issued after that completes. isWrite says which history inputs are
// writes; describe, if set, renders a server for the pending reason.
func WriteAfterHeal(w *sim.World, servers []sim.NodeID, isWrite func(input any) bool, describe func(w *sim.World, id sim.NodeID) string) {
	from, done := 0, false
	w.OnLiveness(func(w *sim.World) { from = len(w.History().Ops) })
	w.AddProperty(sim.Property{Name: PropWriteAfterHeal, Kind: sim.Eventually, Check: func(w *sim.World) error {
		if done {
			return nil
		}
		ops := w.History().Ops
		for i := from; i < len(ops); i++ {
			if ops[i].Done && isWrite(ops[i].Input) {
				done = true
				return nil
			}
		}
		return &noWriteYet{w: w, issued: len(ops) - from, servers: servers, describe: describe}
	}})
}

// noWriteYet is write-after-heal's error while no write issued since the heal
// has completed. The property is checked after every event of the liveness
// phase and its error read only if the run fails on it, so the message, which
// describes every server, is built when read (sim.Property).
type noWriteYet struct {
	w        *sim.World
	issued   int
	servers  []sim.NodeID
	describe func(w *sim.World, id sim.NodeID) string
}

func (e *noWriteYet) Error() string {
	return "no write issued since the heal has completed (" + strconv.Itoa(e.issued) + " operations issued)" +
		cluster(e.w, e.servers, e.describe)
}

// IsWrite reports whether a history input is an Op that changes the store.
func IsWrite(input any) bool {
	o, ok := input.(Op)
	return ok && !o.Kind.IsRead()
}

func cluster(w *sim.World, servers []sim.NodeID, describe func(w *sim.World, id sim.NodeID) string) string {
	if describe == nil {
		return ""
	}
	parts := make([]string, len(servers))
	for i, id := range servers {
		parts[i] = w.Name(id) + " " + describe(w, id)
	}
	return "; " + strings.Join(parts, "; ")
}
