package linearizability

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// ParseExplanation reads back the text form of an explanation (String, or
// Text(0)), which a failing simulation's reason carries, so that a trace
// viewer can draw the checker's view from the trace alone. Text before its
// "verdict:" line is ignored. Only the operations the text names are known:
// each partition's prefix and the operations that cannot follow it.
func ParseExplanation(text string) (*Explanation, error) {
	at := strings.Index(text, "verdict: ")
	if at < 0 {
		return nil, fmt.Errorf("no %q line", "verdict:")
	}
	lines := strings.Split(strings.TrimRight(text[at:], "\n"), "\n")
	e := &Explanation{}
	v, ok := verdictByName[strings.TrimPrefix(lines[0], "verdict: ")]
	if !ok {
		return nil, fmt.Errorf("line 1: bad verdict %q", lines[0])
	}
	e.Verdict = v
	ops := map[int]OpView{}
	var p *PartitionView
	for n, line := range lines[1:] {
		if err := e.parseLine(line, &p, ops); err != nil {
			return nil, fmt.Errorf("line %d: %v: %q", n+2, err, line)
		}
	}
	size := 0
	for i := range ops { // lint:ordered the largest index
		size = max(size, i+1)
	}
	e.Ops = make([]OpView, size)
	for i, op := range ops { // lint:ordered placed by index
		e.Ops[i] = op
	}
	for k := range e.Partitions {
		slices.Sort(e.Partitions[k].Ops)
	}
	return e, nil
}

var (
	verdictByName  = map[string]Verdict{"ok": Ok, "illegal": Illegal, "unknown": Unknown}
	partitionLine  = regexp.MustCompile(`^(.*): (ok|illegal|unknown) \((\d+) ops\)$`)
	skippedLine    = regexp.MustCompile(`^(.*): skipped after an earlier failure$`)
	prefixLine     = regexp.MustCompile(`^  longest linearizable prefix: \d+ ops, from initial state (.*)$`)
	opPattern      = `#(\d+) client (-?\d+) \[(-?\d+),(-?\d+|open)\] `
	stepLine       = regexp.MustCompile(`^ *\d+\. ` + opPattern + `(.*)  => (.*)$`)
	stuckLine      = regexp.MustCompile(`^   ([! ])  ` + opPattern + `(.*?): ((?:not allowed in state |allowed \(-> ).*)$`)
	cannotLine     = "  cannot place next:"
	errUnknownLine = fmt.Errorf("not part of an explanation")
)

func (e *Explanation) parseLine(line string, p **PartitionView, ops map[int]OpView) error {
	if m := partitionLine.FindStringSubmatch(line); m != nil {
		total, _ := strconv.Atoi(m[3])
		e.Partitions = append(e.Partitions, PartitionView{Name: m[1], Verdict: verdictByName[m[2]], Deadline: -1, Total: total})
		*p = &e.Partitions[len(e.Partitions)-1]
		return nil
	}
	if m := skippedLine.FindStringSubmatch(line); m != nil {
		e.Partitions = append(e.Partitions, PartitionView{Name: m[1], Skipped: true, Deadline: -1})
		*p = nil
		return nil
	}
	if *p == nil {
		return errUnknownLine
	}
	part := *p
	if m := prefixLine.FindStringSubmatch(line); m != nil {
		part.Initial = m[1]
		return nil
	}
	if line == cannotLine {
		return nil
	}
	if m := stepLine.FindStringSubmatch(line); m != nil {
		i := readOp(m[1:6], ops)
		part.Ops = append(part.Ops, i)
		part.Steps = append(part.Steps, StepView{Op: i, State: m[6]})
		return nil
	}
	if m := stuckLine.FindStringSubmatch(line); m != nil {
		i := readOp(m[2:7], ops)
		part.Ops = append(part.Ops, i)
		part.Stuck = append(part.Stuck, StuckView{Op: i, Reason: m[7]})
		if m[1] == "!" {
			part.Deadline = i
		}
		return nil
	}
	return errUnknownLine
}

// readOp records the operation of an op line's fields: index, client, call,
// return (or "open"), description.
func readOp(f []string, ops map[int]OpView) int {
	i, _ := strconv.Atoi(f[0])
	client, _ := strconv.Atoi(f[1])
	call, _ := strconv.ParseInt(f[2], 10, 64)
	op := OpView{Index: i, ClientID: client, Call: call, Open: f[3] == "open", Description: f[4]}
	if !op.Open {
		op.Return, _ = strconv.ParseInt(f[3], 10, 64)
	}
	ops[i] = op
	return i
}
