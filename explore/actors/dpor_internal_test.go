package actors

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/orrery-sim/orrery/protocols"
	_ "github.com/orrery-sim/orrery/protocols/abd"
	_ "github.com/orrery-sim/orrery/protocols/chat"
	_ "github.com/orrery-sim/orrery/protocols/paxos"
	_ "github.com/orrery-sim/orrery/protocols/raft"
	_ "github.com/orrery-sim/orrery/protocols/twopc"
)

// canonical names the Mazurkiewicz trace of an execution: its events in
// the one linearization that always takes, among the events whose
// predecessors are all taken, the one with the smallest key. The model is
// deterministic, so two executions with the same canonical sequence are
// equivalent, and equivalent executions have the same one.
func canonical(events []event) string {
	taken := eventSet{}
	var out []byte
	for range events {
		best := -1
		for k := 1; k <= len(events); k++ {
			ev := &events[k-1]
			if taken.has(k) || !ev.pred.subsetOf(taken) {
				continue
			}
			if best < 0 || ev.key < events[best-1].key {
				best = k
			}
		}
		taken.add(best)
		out = fmt.Appendf(out, "%x.", events[best-1].key)
	}
	return string(out)
}

// allTraces runs every execution of m within depth (states, the initial one
// counted) and returns the set of their traces and how many there were.
func allTraces(m *Model, depth int) (map[string]bool, int) {
	traces := map[string]bool{}
	s := m.InitStates()[0]
	initial := m.initialProduced(s)
	events := []event{{}}
	runs := 0
	var walk func(s State)
	walk = func(s State) {
		var actions []Action
		if len(events) < depth && m.WithinBounds(s) {
			actions = m.Actions(s, nil)
		}
		if len(actions) == 0 {
			runs++
			traces[canonical(events[1:])] = true
			return
		}
		for i, a := range actions {
			next, _ := m.NextState(s, a)
			events = append(events, m.newEvent(s, a, i, next))
			m.link(events, len(events)-1, initial)
			walk(next)
			events = events[:len(events)-1]
		}
	}
	walk(s)
	return traces, runs
}

func twopcModel(t *testing.T, nodes int, bug string, network Network, crashes int) *Model {
	return protocolModel(t, "twopc", nodes, bug, network, crashes)
}

func protocolModel(t *testing.T, protocol string, nodes int, bug string, network Network, crashes int) *Model {
	p, err := protocols.Lookup(protocol)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := FromProtocol(p, protocols.Options{Nodes: nodes, Bug: bug}, network, crashes)
	if err != nil {
		t.Fatal(err)
	}
	cfg.TimeMax = 0
	m, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// The stateless search runs one execution of every Mazurkiewicz trace within
// the bounds and no two of the same trace: the traces of its executions are
// exactly those of all executions, enumerated one interleaving at a time.
func TestDPORExploresEachTraceOnce(t *testing.T) {
	tests := []struct {
		name  string
		model *Model
		depth int
	}{
		{"twopc", twopcModel(t, 2, "", Unordered, 0), 9},
		{"twopc/fifo", twopcModel(t, 2, "", FIFO, 0), 9},
		{"twopc/dup", twopcModel(t, 2, "", Duplicating, 0), 7},
		{"twopc/lossy", twopcModel(t, 2, "", Lossy, 0), 7},
		{"twopc/crash", twopcModel(t, 2, "", Unordered, 1), 7},
		{"twopc/forget-yes-vote", twopcModel(t, 2, "forget-yes-vote", Unordered, 1), 7},
		{"raft", protocolModel(t, "raft", 3, "", Unordered, 0), 7},
		{"raft/crash", protocolModel(t, "raft", 3, "", Unordered, 1), 6},
		{"abd", protocolModel(t, "abd", 3, "", Unordered, 0), 7},
		{"chat", protocolModel(t, "chat", 3, "", Unordered, 0), 6},
		{"paxos", protocolModel(t, "paxos", 3, "", Unordered, 0), 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want, runs := allTraces(tt.model, tt.depth)
			got := map[string]bool{}
			explored := 0
			o := DPOROptions{DepthMax: tt.depth, keepGoing: true, ended: func(events []event) {
				explored++
				got[canonical(events)] = true
			}}
			r, err := tt.model.DPOR(context.Background(), o)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(sortedTraces(want), sortedTraces(got)); diff != "" {
				t.Errorf("traces (-all executions +dpor):\n%s", diff)
			}
			if r.Fallbacks > 0 {
				t.Errorf("%d races reversed by scheduling every step", r.Fallbacks)
			}
			if explored != len(got) || r.Executions != int64(explored) {
				t.Errorf("%d executions explored (%d reported) of %d traces", explored, r.Executions, len(got))
			}
			t.Logf("%d interleavings, %d traces; dpor: %d executions, %d sleep-blocked, %d events",
				runs, len(want), r.Executions, r.Blocked, r.Events)
		})
	}
}

func sortedTraces(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// Every state the stateless search judges, on its executions or as a cut of
// their traces, comes with a path that re-executes to it.
func TestDPORPathsReachTheirStates(t *testing.T) {
	tests := []struct {
		name  string
		model *Model
		depth int
	}{
		{"twopc", twopcModel(t, 2, "", Unordered, 0), 8},
		{"twopc/fifo", twopcModel(t, 2, "", FIFO, 0), 8},
		{"twopc/crash", twopcModel(t, 2, "", Unordered, 1), 7},
		{"abd", protocolModel(t, "abd", 3, "", Unordered, 0), 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, judged, wrong := tt.model, 0, 0
			o := DPOROptions{DepthMax: tt.depth, keepGoing: true, visitPath: func(s State, choices []int) {
				judged++
				run, err := m.Trace(choices)
				if err != nil || m.Fingerprint(run.Final) != m.Fingerprint(s) {
					wrong++
				}
			}}
			r, err := m.DPOR(context.Background(), o)
			if err != nil {
				t.Fatal(err)
			}
			if wrong > 0 {
				t.Errorf("%d of %d paths do not reach their states", wrong, judged)
			}
			if r.Cuts == 0 {
				t.Errorf("no cut states judged: the test does not cover them")
			}
		})
	}
}
