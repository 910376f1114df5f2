package raftsafety_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/orrery-sim/orrery/checkers/raftsafety"
	"github.com/orrery-sim/orrery/scheduler"
	"github.com/orrery-sim/orrery/sim"
)

// leaderFake is a hand-driven server for the leader checks: a term, a vote,
// a log of terms (index i at log[i-1]) and, while leading, its progress.
type leaderFake struct {
	term        uint64
	vote        sim.NodeID // -1: none
	leader      bool
	log         []uint64
	match, next []uint64
}

func (f *leaderFake) Term() uint64                     { return f.term }
func (f *leaderFake) Vote() (sim.NodeID, bool)         { return f.vote, f.vote >= 0 }
func (f *leaderFake) Leader() bool                     { return f.leader }
func (f *leaderFake) Commit() uint64                   { return 0 }
func (f *leaderFake) Applied() uint64                  { return 0 }
func (f *leaderFake) Snapshot() (uint64, uint64)       { return 0, 0 }
func (f *leaderFake) LastIndex() uint64                { return uint64(len(f.log)) }
func (f *leaderFake) WrittenFrom() uint64              { return 0 }
func (f *leaderFake) AppliedNow() []raftsafety.Applied { return nil }
func (f *leaderFake) DescribeEntry(uint64) string      { return "" }
func (f *leaderFake) Entry(i uint64) (uint64, uint64, bool) {
	t, ok := f.TermAt(i)
	return t, 0, ok && i > 0
}
func (f *leaderFake) TermAt(i uint64) (uint64, bool) {
	if i == 0 {
		return 0, true
	}
	if i > uint64(len(f.log)) {
		return 0, false
	}
	return f.log[i-1], true
}
func (f *leaderFake) Progress(id sim.NodeID) (uint64, uint64) { return f.match[id], f.next[id] }

func (f *leaderFake) Start(*sim.Context)         {}
func (f *leaderFake) Timer(*sim.Context, string) {}
func (f *leaderFake) Receive(_ *sim.Context, _ sim.NodeID, m sim.Message) {
	m.(sim.Request).Payload.(func(*leaderFake))(f)
}

func vote(term uint64, cand sim.NodeID) func(*leaderFake) {
	return func(f *leaderFake) { f.term, f.vote, f.leader = term, cand, false }
}

// leads makes the server leader of its term with the given log and, for
// each of three servers, matchIndex match[i] and nextIndex match[i]+1.
func leads(log []uint64, match ...uint64) func(*leaderFake) {
	return func(f *leaderFake) {
		f.leader, f.log, f.match, f.next = true, log, match, make([]uint64, len(match))
		for i := range match {
			f.next[i] = match[i] + 1
		}
	}
}

func holds(log ...uint64) func(*leaderFake) { return func(f *leaderFake) { f.log = log } }

func nextAt(id int, next uint64) func(*leaderFake) {
	return func(f *leaderFake) { f.next[id] = next }
}

type leaderStep struct {
	server int
	do     func(*leaderFake)
}

// runLeaders plays a script on three servers and returns the first failure.
func runLeaders(t *testing.T, script []leaderStep) string {
	t.Helper()
	w := sim.New(sim.Options{Chooser: scheduler.Zero{}})
	servers := make([]sim.NodeID, 3)
	for i := range servers {
		servers[i] = w.AddAgent(sim.AgentSpec{Name: fmt.Sprintf("n%d", i+1), New: func() sim.Agent { return &leaderFake{vote: -1} }})
	}
	raftsafety.NewLeaders(servers, func(w *sim.World, id sim.NodeID) (raftsafety.View, bool) {
		f, ok := w.Agent(id).(*leaderFake)
		return f, ok && f != nil
	}).Register(w)
	for k, s := range script {
		w.Request(sim.Time(k+1)*sim.Millisecond, servers[s.server], s.do)
	}
	r := w.Run(sim.Time(len(script)+2)*sim.Millisecond, 0)
	if !r.Failed() {
		return ""
	}
	return r.Property + ": " + r.Reason
}

func TestLeadersCatch(t *testing.T) {
	elected := []leaderStep{{0, vote(1, 0)}, {1, vote(1, 0)}}
	with := func(steps ...leaderStep) []leaderStep { return append(append([]leaderStep{}, elected...), steps...) }
	tests := []struct {
		name   string
		script []leaderStep
		want   string // property and the start of its reason; "" for none
	}{
		{"healthy", with(
			leaderStep{1, holds(1, 1)}, leaderStep{0, leads([]uint64{1, 1}, 2, 2, 0)},
			leaderStep{2, vote(1, 0)}, leaderStep{2, holds(1)}, leaderStep{0, leads([]uint64{1, 1}, 2, 2, 1)}), ""},
		{"a leader without a majority", []leaderStep{{0, vote(1, 0)}, {0, leads(nil, 0, 0, 0)}},
			"leader-legitimacy: n1 leads term 1 with 1 votes granted in that term, fewer than a majority (2 of 3)"},
		{"votes of another term do not count", []leaderStep{{1, vote(1, 0)}, {0, vote(2, 0)}, {0, leads(nil, 0, 0, 0)}},
			"leader-legitimacy: n1 leads term 2 with 1 votes"},
		{"match past the follower's log", with(leaderStep{1, holds(1)}, leaderStep{0, leads([]uint64{1, 1}, 2, 2, 0)}),
			"match-index-held: n1 (leader, term 1) has matchIndex 2 for n2, whose log ends at 1"},
		{"match on a different entry", with(leaderStep{1, holds(1, 0)}, leaderStep{0, leads([]uint64{1, 1}, 2, 2, 0)}),
			"match-index-held: n1 (leader, term 1) has matchIndex 2 for n2, whose entry 2 is of term 0, not 1"},
		{"match for a follower still in an older term", with(leaderStep{2, holds(1)}, leaderStep{0, leads([]uint64{1}, 1, 0, 1)}),
			"match-index-held: n1 (leader, term 1) has matchIndex 1 for n3, which has not entered term 1 (term 0)"},
		{"follower in a later term is not judged", with(leaderStep{1, vote(2, 1)}, leaderStep{0, leads([]uint64{1, 1}, 2, 2, 0)}), ""},
		{"match goes back", with(leaderStep{1, holds(1, 1)}, leaderStep{0, leads([]uint64{1, 1}, 2, 2, 0)},
			leaderStep{0, leads([]uint64{1, 1}, 2, 1, 0)}),
			"progress-monotonic: n1 (leader, term 1): matchIndex for n2 went back from 2 to 1"},
		{"next not above match", with(leaderStep{1, holds(1, 1)}, leaderStep{0, leads([]uint64{1, 1}, 2, 2, 0)},
			leaderStep{0, nextAt(1, 2)}),
			"progress-monotonic: n1 (leader, term 1): nextIndex 2 for n2 is not above its matchIndex 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := runLeaders(t, tt.script)
			if tt.want == "" || !strings.HasPrefix(got, tt.want) {
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("first failure (-want +got):\n%s", diff)
				}
			}
		})
	}
}
