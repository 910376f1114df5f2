package linearizability

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// collect turns the partition runs into a Result.
func collect[S, I, O any](ctx context.Context, m *Model[S, I, O], history []Operation[I, O], runs []partitionRun[S, I, O]) Result {
	res := Result{Verdict: Ok, Partitions: make([]PartitionResult, len(runs))}
	for i := range runs {
		r := &runs[i]
		p := &res.Partitions[i]
		p.Verdict, p.Skipped, p.Deadline, p.Configurations = r.verdict, r.skipped, -1, r.configs
		p.Ops = mergeSorted(r.ops, r.dropped)
		if !r.skipped {
			p.Linearization = r.global(r.best.ops)
		}
		switch r.verdict {
		case Illegal:
			res.Verdict = Illegal
			p.Candidates = r.global(r.best.candidates)
			p.Deadline = r.ops[r.best.deadline]
		case Unknown:
			if res.Verdict == Ok {
				res.Verdict = Unknown
			}
		}
	}
	if res.Verdict == Unknown {
		res.Err = ctx.Err()
		if res.Err == nil {
			res.Err = errors.New("linearizability: check stopped")
		}
	}
	res.explain = func() *Explanation { return explain(m, history, runs, res) }
	return res
}

func (r *partitionRun[S, I, O]) global(local []int) []int {
	out := make([]int, len(local))
	for i, l := range local {
		out[i] = r.ops[l]
	}
	return out
}

func mergeSorted(a, b []int) []int {
	out := make([]int, 0, len(a)+len(b))
	for len(a) > 0 || len(b) > 0 {
		if len(b) == 0 || (len(a) > 0 && a[0] < b[0]) {
			out, a = append(out, a[0]), a[1:]
		} else {
			out, b = append(out, b[0]), b[1:]
		}
	}
	return out
}

// Explanation is a result rendered for people, independent of the model's
// types: the text form is String, the HTML form WriteHTML.
type Explanation struct {
	Verdict    Verdict
	Ops        []OpView
	Partitions []PartitionView
	// ClientName and Time, when set, render a client and a time in the text
	// form (say, an agent's name and "1.25s"); unset, the numbers are printed.
	ClientName func(clientID int) string `json:"-"`
	Time       func(t int64) string      `json:"-"`
	// OpClient, when set, names the client of operation i (an index into
	// Ops) in the text form, before ClientName: for callers whose operations
	// are not all told apart by client id (the model checker's requests all
	// come from outside the world).
	OpClient func(op int) string `json:"-"`
	// TimeUnit is "ns" when call and return times are nanoseconds (a
	// simulation's virtual time); the page then shows them as seconds.
	TimeUnit string
	// ClientNames name client ids on the page ("c2" rather than "client 6"),
	// when the caller knows them.
	ClientNames map[int]string
}

// OpView is one operation of the history.
type OpView struct {
	Index       int
	ClientID    int
	Call        int64
	Return      int64 // meaningless when Open
	Open        bool
	Description string
}

// PartitionView explains one partition.
type PartitionView struct {
	Name    string
	Verdict Verdict
	Skipped bool
	Ops     []int
	// Initial is the model's initial state; Steps the linearization (or
	// longest linearizable prefix) with the state after each operation.
	Initial string
	Steps   []StepView
	// Stuck explains each operation that could come after the prefix of an
	// illegal partition and why it cannot; Deadline is the operation whose
	// return the prefix cannot get past (-1 when none).
	Stuck    []StuckView
	Deadline int
	// Total is the number of operations in the partition when Ops names
	// only some of them (an explanation read back from text), else 0.
	Total int
}

// StepView is one linearized operation and the state it leaves.
type StepView struct {
	Op    int
	State string
}

// StuckView is an operation that cannot be placed after the prefix.
type StuckView struct {
	Op     int
	Reason string
}

func explain[S, I, O any](m *Model[S, I, O], history []Operation[I, O], runs []partitionRun[S, I, O], res Result) *Explanation {
	e := &Explanation{Verdict: res.Verdict, Ops: make([]OpView, len(history))}
	for i, op := range history {
		e.Ops[i] = OpView{Index: i, ClientID: op.ClientID, Call: op.Call, Return: op.Return, Open: op.Open,
			Description: m.DescribeOperation(op)}
	}
	for i := range runs {
		e.Partitions = append(e.Partitions, runs[i].view(i, history, res.Partitions[i]))
	}
	return e
}

func (r *partitionRun[S, I, O]) view(index int, history []Operation[I, O], p PartitionResult) PartitionView {
	m := r.model
	v := PartitionView{Name: fmt.Sprintf("partition %d", index), Verdict: p.Verdict, Skipped: p.Skipped, Ops: p.Ops, Deadline: p.Deadline}
	if m.DescribePartition != nil {
		part := make([]Operation[I, O], len(p.Ops))
		for k, i := range p.Ops {
			part[k] = history[i]
		}
		v.Name = m.DescribePartition(part)
	}
	if p.Skipped {
		return v
	}
	state := m.Init()
	v.Initial = m.DescribeState(state)
	for k, op := range p.Linearization {
		state = r.best.states[k]
		v.Steps = append(v.Steps, StepView{Op: op, State: m.DescribeState(state)})
	}
	for _, op := range p.Candidates {
		v.Stuck = append(v.Stuck, StuckView{Op: op, Reason: r.whyStuck(history[op], state, op == p.Deadline)})
	}
	return v
}

// whyStuck says why an operation cannot follow the prefix ending in state.
func (r *partitionRun[S, I, O]) whyStuck(op Operation[I, O], state S, deadline bool) string {
	m := r.model
	var next []S
	switch {
	case op.Open:
		next = m.StepOpen(state, op.Input)
	case m.StepAll != nil:
		next = m.StepAll(state, op.Input, op.Output)
	default:
		if ok, s := m.Step(state, op.Input, op.Output); ok {
			next = []S{s}
		}
	}
	var why string
	if len(next) == 0 {
		why = "not allowed in state " + m.DescribeState(state)
	} else {
		described := make([]string, len(next))
		for i, s := range next {
			described[i] = m.DescribeState(s)
		}
		why = "allowed (-> " + strings.Join(described, " | ") + "), but the rest cannot be linearized after it"
	}
	if deadline {
		why += "; it returned, so it must take effect before anything invoked later"
	}
	return why
}

// String renders the explanation as text: one line per partition, and for
// each failing one its longest linearizable prefix and what cannot follow.
func (e *Explanation) String() string { return e.Text(0) }

// Text is String with each prefix cut to its last stepsMax steps (0 for
// all), for terminals.
func (e *Explanation) Text(stepsMax int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "verdict: %s\n", e.Verdict)
	for _, p := range e.Partitions {
		switch {
		case p.Skipped:
			fmt.Fprintf(&b, "%s: skipped after an earlier failure\n", p.Name)
		case p.Verdict != Illegal:
			fmt.Fprintf(&b, "%s: %s (%d ops)\n", p.Name, p.Verdict, p.size())
		default:
			e.describeIllegal(&b, p, stepsMax)
		}
	}
	return b.String()
}

func (e *Explanation) describeIllegal(b *strings.Builder, p PartitionView, stepsMax int) {
	fmt.Fprintf(b, "%s: illegal (%d ops)\n", p.Name, p.size())
	fmt.Fprintf(b, "  longest linearizable prefix: %d ops, from initial state %s\n", len(p.Steps), p.Initial)
	first := 0
	if stepsMax > 0 && len(p.Steps) > stepsMax {
		first = len(p.Steps) - stepsMax
		fmt.Fprintf(b, "        ... %d earlier steps\n", first)
	}
	for k, s := range p.Steps[first:] {
		fmt.Fprintf(b, "  %4d. %s  => %s\n", first+k+1, e.opLine(s.Op), s.State)
	}
	fmt.Fprintf(b, "  cannot place next:\n")
	for _, s := range p.Stuck {
		mark := " "
		if s.Op == p.Deadline {
			mark = "!"
		}
		fmt.Fprintf(b, "   %s  %s: %s\n", mark, e.opLine(s.Op), s.Reason)
	}
}

// size is the number of operations in the partition.
func (p *PartitionView) size() int {
	if p.Total > 0 {
		return p.Total
	}
	return len(p.Ops)
}

func (e *Explanation) opLine(i int) string {
	op := e.Ops[i]
	client, at := "client "+strconv.Itoa(op.ClientID), func(t int64) string { return strconv.FormatInt(t, 10) }
	switch {
	case e.OpClient != nil:
		client = e.OpClient(i)
	case e.ClientName != nil:
		client = e.ClientName(op.ClientID)
	}
	if e.Time != nil {
		at = e.Time
	}
	end := "open"
	if !op.Open {
		end = at(op.Return)
	}
	return fmt.Sprintf("#%d %s [%s,%s] %s", i, client, at(op.Call), end, op.Description)
}
