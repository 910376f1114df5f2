package protocols

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/orrery-sim/orrery/faults"
	"github.com/orrery-sim/orrery/internal/quote"
	"github.com/orrery-sim/orrery/sim"
)

// OpRef names one operation of a workload client: the client agent's name
// and the operation's sequence number in that client's own count (1, 2, ...).
// In a skip set, For is how long the left-out operation still takes (its
// latency in the run it was left out of, so the client's later operations
// keep their times); text "c1#2+12ms".
type OpRef struct {
	Client string
	Seq    uint64
	For    sim.Time
}

func (r OpRef) String() string {
	s := r.Client + "#" + strconv.FormatUint(r.Seq, 10)
	if r.For > 0 {
		s += "+" + faults.FormatDuration(r.For)
	}
	return s
}

// OpSet is a set of client operations, sorted by client, then sequence
// number; its text form is "c1#2,c1#5+12ms,c2#1".
type OpSet []OpRef

// Skipped reports whether the operation seq of client is in the set, and
// how long it takes.
func (s OpSet) Skipped(client string, seq uint64) (sim.Time, bool) {
	i, found := slices.BinarySearchFunc(s, OpRef{Client: client, Seq: seq}, compareOpRef)
	if !found {
		return 0, false
	}
	return s[i].For, true
}

func (s OpSet) String() string {
	parts := make([]string, len(s))
	for i, r := range s {
		parts[i] = r.String()
	}
	return strings.Join(parts, ",")
}

func compareOpRef(a, b OpRef) int {
	if c := strings.Compare(a.Client, b.Client); c != 0 {
		return c
	}
	switch {
	case a.Seq < b.Seq:
		return -1
	case a.Seq > b.Seq:
		return 1
	}
	return 0
}

// skipRefsMax bounds an OpSet, as OpsMax bounds a client's operations.
const skipRefsMax = OpsMax

// skipForMax bounds how long a skipped operation takes.
const skipForMax = 3600 * sim.Second

// NewOpSet returns refs as a set: sorted, without repeats (of one operation,
// the first given stays).
func NewOpSet(refs []OpRef) OpSet {
	s := slices.Clone(refs)
	slices.SortStableFunc(s, compareOpRef)
	return slices.CompactFunc(s, func(a, b OpRef) bool { return compareOpRef(a, b) == 0 })
}

// ParseOpSet parses the text form of an OpSet ("" is the empty set). The
// operations may come in any order and repeat (the first of an operation
// counts).
func ParseOpSet(text string) (OpSet, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return nil, nil
	}
	fields := strings.Split(text, ",")
	if len(fields) > skipRefsMax {
		return nil, fmt.Errorf("more than %d operations", skipRefsMax)
	}
	refs := make([]OpRef, 0, len(fields))
	for i, f := range fields {
		f = strings.TrimSpace(f)
		client, seq, ok := strings.Cut(f, "#")
		if !ok || client == "" {
			return nil, fmt.Errorf("item %d: want CLIENT#SEQ or CLIENT#SEQ+DURATION (c1#2, c1#2+12ms), got %s", i+1, quote.Q(f))
		}
		seq, dur, timed := strings.Cut(seq, "+")
		n, err := strconv.ParseUint(seq, 10, 64)
		if err != nil || n == 0 || n > OpsMax {
			return nil, fmt.Errorf("item %d: want an operation number 1 to %d after #, got %s", i+1, OpsMax, quote.Q(f))
		}
		ref := OpRef{Client: client, Seq: n}
		if timed {
			if ref.For, err = sim.ParseDuration(dur); err != nil || ref.For > skipForMax {
				return nil, fmt.Errorf("item %d: want a duration up to %v after +, got %s", i+1, skipForMax, quote.Q(f))
			}
		}
		refs = append(refs, ref)
	}
	return NewOpSet(refs), nil
}
