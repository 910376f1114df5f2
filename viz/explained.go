package viz

import (
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/orrery-sim/orrery/traces"
)

// A linearizability failure is about operations, not about the step after
// which the check ran (at the end of a run, that step is whatever came
// last). Its reason carries the checker's explanation in text form
// (checkers/linearizability: Explanation.String), one line per operation it
// names: "#3 c1 [0.641411s,0.643411s] get(...)", with clients and times as
// the property rendered them: agent names and seconds in a simulation,
// "client→n2" and logical times tN under exploration, or plain numbers.
// explained finds those operations' events in the trace.

// explainedLine matches an operation's line of an explanation: a step of the
// longest linearizable prefix ("  12. #3 ...") or an operation that cannot
// follow it ("   !  #3 ...", "!" marking the one whose return the prefix
// cannot get past). Times have no spaces, commas or brackets.
var explainedLine = regexp.MustCompile(`^(?: +\d+\.|   ([! ]) ) #\d+ (.+?) \[([^\s,\]]+),([^\s,\]]+)\] `)

// explainedOp is one operation line: its client and times as rendered.
type explainedOp struct {
	client, call, ret string
	deadline          bool
}

func explainedOps(reason string) []explainedOp {
	var ops []explainedOp
	for _, line := range strings.Split(reason, "\n") {
		if g := explainedLine.FindStringSubmatch(line); g != nil {
			ops = append(ops, explainedOp{client: g[2], call: g[3], ret: g[4], deadline: g[1] == "!"})
		}
	}
	return ops
}

// explained fills m.Named and, when the explanation marks an operation whose
// return is in the trace, makes that return the Cause.
func (m *Model) explained() {
	if m.Fail < 0 || !strings.Contains(m.Property, "lineariz") {
		return
	}
	f := opFinder{m: m, used: map[int]bool{}}
	named := map[int]bool{}
	for _, op := range explainedOps(m.Reason) {
		inv, ret := f.find(op)
		if inv < 0 {
			continue
		}
		for _, k := range m.served(inv, ret) {
			named[k] = true
		}
		if op.deadline && ret >= 0 {
			m.Cause, m.Past = ret, m.storyOf(ret)
		}
	}
	for k := range named { // lint:ordered sorted below
		m.Named = append(m.Named, k)
	}
	slices.Sort(m.Named)
}

// served is what shows operation inv at work: its invocation, the
// deliveries of what the invocation's step sent (its request), and when it
// returned (ret, -1 while open) the return, the step that returned it (a
// response's delivery) and the step that sent that response. What happened
// in between is left to the causal slice: a server's lane between a
// request and its answer also carries every other client's operations.
func (m *Model) served(inv, ret int) []int {
	out := []int{inv}
	for k := inv + 1; k < len(m.Events) && (ret < 0 || k < ret); k++ {
		if slices.Contains(m.Preds[k], inv) && actor(&m.Events[k]) != actor(&m.Events[inv]) {
			out = append(out, k)
		}
	}
	if ret < 0 {
		return out
	}
	step := m.stepOf(ret)
	if step < 0 {
		return append(out, ret)
	}
	out = append(out, step)
	for _, p := range m.Preds[step] {
		if actor(&m.Events[p]) != actor(&m.Events[step]) && p != inv {
			out = append(out, p) // the sender of the message step delivered
		}
	}
	return append(out, ret)
}

// stepOf is the event that began the step which emitted event i (a return,
// note or invocation inside a handler): the nearest event before it, at the
// same time and through its predecessors on one lane, of a kind that begins
// a step; -1 if none.
func (m *Model) stepOf(i int) int {
	for k := i; ; {
		preds := m.Preds[k]
		if len(preds) == 0 {
			return -1
		}
		k = preds[0] // the lane's previous event (or, for a return without a lane, the step)
		e := &m.Events[k]
		if e.Time != m.Events[i].Time {
			return -1
		}
		switch e.Kind {
		case traces.KindInvoke, traces.KindReturn, traces.KindNote:
			continue
		}
		return k
	}
}

// opFinder finds the events of explained operations, each event at most once.
type opFinder struct {
	m    *Model
	used map[int]bool
	// history are the invocations and returns in trace order: logical time
	// tN is the N-th of them.
	history []int
}

// find returns the invocation and return events of op, -1 for what it does
// not find (an open operation has no return).
func (f *opFinder) find(op explainedOp) (inv, ret int) {
	inv = f.event(traces.KindInvoke, op.call, op.client, -1)
	if inv < 0 || op.ret == "open" {
		return inv, -1
	}
	return inv, f.event(traces.KindReturn, op.ret, f.m.Events[inv].Node, inv)
}

// event finds the first unused event of kind at the rendered time at, by
// client (a node name; any other rendering matches every client), after
// event after.
func (f *opFinder) event(kind traces.Kind, at, client string, after int) int {
	m := f.m
	if n, ok := logicalTime(at); ok {
		if f.history == nil {
			for i := range m.Events {
				if k := m.Events[i].Kind; k == traces.KindInvoke || k == traces.KindReturn {
					f.history = append(f.history, i)
				}
			}
		}
		if n < len(f.history) && m.Events[f.history[n]].Kind == kind && !f.used[f.history[n]] {
			f.used[f.history[n]] = true
			return f.history[n]
		}
		return -1
	}
	match, ok := timeMatcher(at)
	if !ok {
		return -1
	}
	byClient := slices.Contains(m.Nodes, client) || client == "external"
	if client == "external" {
		client = ""
	}
	for i := after + 1; i < len(m.Events); i++ {
		e := &m.Events[i]
		if e.Kind == kind && !f.used[i] && match(e.Time) && (!byClient || e.Node == client) {
			f.used[i] = true
			return i
		}
	}
	return -1
}

// logicalTime reads "tN" (kv.LogicalTime), or "tN@C" with the explored
// clock's reading, as its index from 0.
func logicalTime(s string) (int, bool) {
	s, _, _ = strings.Cut(s, "@")
	digits, ok := strings.CutPrefix(s, "t")
	n, err := strconv.Atoi(digits)
	return n - 1, ok && err == nil && n >= 1
}

// timeMatcher reads a rendered virtual time: nanoseconds ("1500000"), or
// seconds to the microsecond ("1.5s", kv.Seconds), which match every time
// within that microsecond.
func timeMatcher(s string) (func(t int64) bool, bool) {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return func(t int64) bool { return t == n }, true
	}
	secs, ok := strings.CutSuffix(s, "s")
	whole, frac, _ := strings.Cut(secs, ".")
	w, err := strconv.ParseInt(whole, 10, 64)
	if !ok || err != nil || len(frac) > 6 || strings.HasPrefix(whole, "-") {
		return nil, false
	}
	us := w * 1_000_000
	if frac != "" {
		f, err := strconv.ParseInt(frac+strings.Repeat("0", 6-len(frac)), 10, 64)
		if err != nil {
			return nil, false
		}
		us += f
	}
	return func(t int64) bool { return t/1000 == us }, true
}
