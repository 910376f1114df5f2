package sim

import (
	"slices"
	"strconv"
)

// Latency summarises how long a history's operations took in virtual time,
// from invocation to return (the figures Ios' workload tool reported).
// Percentiles use the nearest-rank method over the completed operations;
// open operations (given up, or still running at the end) are only counted.
type Latency struct {
	Count int  `json:"count"` // completed operations
	Open  int  `json:"open"`  // operations that never returned
	P50   Time `json:"p50_ns"`
	P90   Time `json:"p90_ns"`
	P99   Time `json:"p99_ns"`
	Max   Time `json:"max_ns"`
}

// Latency computes the latency summary of the history's operations.
func (h *History) Latency() Latency {
	var l Latency
	took := make([]Time, 0, len(h.Ops))
	for i := range h.Ops {
		op := &h.Ops[i]
		if !op.Done {
			l.Open++
			continue
		}
		took = append(took, op.Return-op.Call)
	}
	l.Count = len(took)
	if l.Count == 0 {
		return l
	}
	slices.Sort(took)
	rank := func(percent int) Time { return took[(percent*l.Count+99)/100-1] }
	l.P50, l.P90, l.P99, l.Max = rank(50), rank(90), rank(99), took[l.Count-1]
	return l
}

// String renders the summary on one line: "p50 12ms, p90 40ms, p99 95ms,
// max 1200ms (812 done, 3 open)".
func (l Latency) String() string {
	counts := strconv.Itoa(l.Count) + " done, " + strconv.Itoa(l.Open) + " open"
	if l.Count == 0 {
		return "no operation completed (" + counts + ")"
	}
	return "p50 " + l.P50.String() + ", p90 " + l.P90.String() + ", p99 " + l.P99.String() +
		", max " + l.Max.String() + " (" + counts + ")"
}
