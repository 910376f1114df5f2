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

// fake is a hand-driven Raft server: each scripted step edits its state
// inside a handler, as a real implementation's handler would.
type fake struct {
	disk       *disk // survives restarts, like durable storage
	leader     bool
	commit     uint64
	applied    uint64
	written    uint64
	appliedNow []raftsafety.Applied
}

type disk struct {
	term           uint64
	vote           sim.NodeID // -1: none
	snap, snapTerm uint64
	log            []entry // after the snapshot
}

type entry struct {
	term uint64
	data string
}

func (f *fake) Term() uint64 { return f.disk.term }
func (f *fake) Vote() (sim.NodeID, bool) {
	return f.disk.vote, f.disk.vote >= 0
}
func (f *fake) Leader() bool                     { return f.leader }
func (f *fake) Commit() uint64                   { return f.commit }
func (f *fake) Applied() uint64                  { return f.applied }
func (f *fake) Snapshot() (uint64, uint64)       { return f.disk.snap, f.disk.snapTerm }
func (f *fake) LastIndex() uint64                { return f.disk.snap + uint64(len(f.disk.log)) }
func (f *fake) WrittenFrom() uint64              { return f.written }
func (f *fake) AppliedNow() []raftsafety.Applied { return f.appliedNow }
func (f *fake) Entry(i uint64) (uint64, uint64, bool) {
	if i <= f.disk.snap || i > f.LastIndex() {
		return 0, 0, false
	}
	e := f.disk.log[i-f.disk.snap-1]
	return e.term, raftsafety.Digest(0, []byte(e.data)), true
}
func (f *fake) TermAt(i uint64) (uint64, bool) {
	if i == f.disk.snap {
		return f.disk.snapTerm, true
	}
	t, _, ok := f.Entry(i)
	return t, ok
}
func (f *fake) DescribeEntry(i uint64) string {
	if i <= f.disk.snap || i > f.LastIndex() {
		return ""
	}
	e := f.disk.log[i-f.disk.snap-1]
	return fmt.Sprintf("%d/%d %s", i, e.term, e.data)
}

func (f *fake) Start(*sim.Context)         {}
func (f *fake) Timer(*sim.Context, string) {}
func (f *fake) Receive(ctx *sim.Context, _ sim.NodeID, m sim.Message) {
	f.written, f.appliedNow = 0, nil
	m.(sim.Request).Payload.(func(*fake))(f)
}

// Steps a script is made of.
func campaign(term uint64, vote sim.NodeID) func(*fake) {
	return func(f *fake) { f.disk.term, f.disk.vote, f.leader = term, vote, false }
}
func lead(term uint64) func(*fake) {
	return func(f *fake) { f.disk.term, f.leader = term, true }
}
func appendAt(i uint64, term uint64, data string) func(*fake) {
	return func(f *fake) {
		f.disk.log = append(f.disk.log[:i-f.disk.snap-1], entry{term, data})
		f.written = i
	}
}
func commit(to uint64) func(*fake) {
	return func(f *fake) {
		for f.applied < to {
			f.applied++
			t, d, _ := f.Entry(f.applied)
			f.appliedNow = append(f.appliedNow, raftsafety.Applied{Index: f.applied, Term: t, Digest: d})
		}
		f.commit = to
	}
}
func applyState(i, state uint64) func(*fake) {
	return func(f *fake) {
		t, d, _ := f.Entry(i)
		f.commit, f.applied = i, i
		f.appliedNow = append(f.appliedNow, raftsafety.Applied{Index: i, Term: t, Digest: d, State: state, HasState: true})
	}
}

// applyOnly applies the entry at i alone, as if the entries before it had
// been applied earlier (no index below i is then known to be committed).
func applyOnly(i uint64) func(*fake) {
	return func(f *fake) {
		t, d, _ := f.Entry(i)
		f.commit, f.applied = i, i
		f.appliedNow = append(f.appliedNow, raftsafety.Applied{Index: i, Term: t, Digest: d})
	}
}

func compact(to uint64) func(*fake) {
	return func(f *fake) {
		t, _, _ := f.Entry(to)
		f.disk.log = f.disk.log[to-f.disk.snap:]
		f.disk.snap, f.disk.snapTerm = to, t
	}
}
func setTerm(term uint64) func(*fake) { return func(f *fake) { f.disk.term = term } }
func setCommit(c uint64) func(*fake)  { return func(f *fake) { f.commit = c } }
func setApplied(a uint64) func(*fake) { return func(f *fake) { f.applied = a } }

const restart = "restart"

type step struct {
	server int
	do     any // func(*fake) or restart
}

// run plays a script on three servers and returns the first failure:
// "property: reason", or "" when every invariant held throughout.
func run(t *testing.T, script []step) (string, bool) {
	w := sim.New(sim.Options{Chooser: scheduler.Zero{}})
	disks := make([]*disk, 3)
	servers := make([]sim.NodeID, 3)
	for i := range disks {
		d := &disk{vote: -1}
		disks[i] = d
		servers[i] = w.AddAgent(sim.AgentSpec{Name: fmt.Sprintf("n%d", i+1), New: func() sim.Agent { return &fake{disk: d} }})
	}
	c := raftsafety.New(servers, func(w *sim.World, id sim.NodeID) (raftsafety.View, bool) {
		f, ok := w.Agent(id).(*fake)
		return f, ok && f != nil
	})
	c.Register(w)
	for k, s := range script {
		at := sim.Time(k+1) * sim.Millisecond
		switch do := s.do.(type) {
		case string:
			box := w.BoxOf(servers[s.server])
			w.At(at, "crash", func(w *sim.World) { w.Crash(box, sim.LoseUnsynced) })
			w.At(at+sim.Microsecond, "restart", func(w *sim.World) { w.Restart(box) })
		case func(*fake):
			w.Request(at, servers[s.server], do)
		}
	}
	r := w.Run(sim.Time(len(script)+2)*sim.Millisecond, 0)
	leader := false
	for _, p := range w.Properties() {
		if p.Name == raftsafety.LeaderElected {
			leader = p.Check(w) == nil
		}
	}
	if !r.Failed() {
		return "", leader
	}
	return r.Property + ": " + r.Reason, leader
}

func TestCheckerCatches(t *testing.T) {
	// A healthy history: n1 wins term 1 with n2's vote, replicates two
	// entries, commits them, compacts, and n2 restarts.
	healthy := []step{
		{1, campaign(1, 0)}, {0, campaign(1, 0)}, {0, lead(1)},
		{0, appendAt(1, 1, "x=1")}, {1, appendAt(1, 1, "x=1")}, {0, appendAt(2, 1, "y=2")}, {1, appendAt(2, 1, "y=2")},
		{0, commit(2)}, {1, commit(2)}, {0, compact(2)}, {1, restart}, {1, commit(2)},
		{2, appendAt(1, 1, "x=1")},
	}
	tests := []struct {
		name   string
		script []step
		want   string // property and the start of its reason; "" for none
	}{
		{"healthy", healthy, ""},
		{"two leaders", []step{{0, lead(2)}, {1, lead(2)}},
			"election-safety: two leaders in term 2: n1 and n2"},
		{"two votes across a restart", []step{{0, campaign(3, 1)}, {0, restart}, {0, campaign(3, 2)}},
			"one-vote-per-term: n1 voted for n2 and then for n3 in term 3"},
		{"different entries at one index and term", []step{{0, appendAt(1, 1, "x=1")}, {1, appendAt(1, 1, "x=2")}},
			"log-matching: n2 holds entry 1/1 x=2 after term 0, but another log held a different entry 1/1"},
		{"same entry after different terms", []step{
			{0, appendAt(1, 1, "a")}, {0, appendAt(2, 2, "b")}, {1, appendAt(1, 2, "c")}, {1, appendAt(2, 2, "b")}},
			"log-matching: n2 holds entry 2/2 b after term 2, but another log held a different entry 2/2"},
		{"new leader misses a committed entry", []step{
			{1, appendAt(1, 1, "x=1")}, {0, appendAt(1, 1, "x=1")}, {0, commit(1)}, {2, lead(2)}},
			"leader-completeness: n3 leads term 2 without entry 1/1 x=1, committed by n1"},
		{"a server lacking a committed entry could win", []step{
			{0, appendAt(1, 1, "x=1")}, {0, commit(1)}, {1, appendAt(1, 2, "y")}, {2, setTerm(2)}},
			"leader-completeness: n2 lacks committed entry 1/1 x=1 (committed by n1) but could win an election"},
		{"two entries committed at one index", []step{
			{0, appendAt(1, 1, "a")}, {0, appendAt(2, 1, "x=1")}, {0, applyOnly(2)},
			{1, appendAt(1, 1, "a")}, {1, appendAt(2, 2, "x=2")}, {1, applyOnly(2)}},
			"state-machine-safety: n2 committed 2/2 x=2 at index 2, but n1 committed 2/1 x=1 there"},
		{"replicas diverge", []step{
			{0, appendAt(1, 1, "x=1")}, {1, appendAt(1, 1, "x=1")}, {0, applyState(1, 7)}, {1, applyState(1, 8)}},
			"state-machine-safety: n2's state after applying index 1 differs from n1's"},
		{"term goes back", []step{{0, setTerm(3)}, {0, setTerm(2)}},
			"monotonic-term-commit: n1: term went back from 3 to 2"},
		{"commit goes back", []step{{0, appendAt(1, 1, "x")}, {0, setCommit(1)}, {0, setCommit(0)}},
			"monotonic-term-commit: n1: commit index went back from 1 to 0"},
		{"applied goes back", []step{{0, appendAt(1, 1, "x")}, {1, appendAt(1, 1, "x")}, {0, commit(1)}, {0, setApplied(0)}},
			"monotonic-term-commit: n1: applied index went back from 1 to 0"},
		{"a restart may reset commit and applied", []step{
			{0, lead(1)}, {0, appendAt(1, 1, "x")}, {1, appendAt(1, 1, "x")}, {0, commit(1)}, {0, restart}, {0, setTerm(1)}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _ := run(t, tt.script)
			if tt.want == "" || !strings.HasPrefix(got, tt.want) {
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("first failure (-want +got):\n%s", diff)
				}
			}
		})
	}
}

// TestLeaderElected: the sometimes property holds once some server led, and
// not before.
func TestLeaderElected(t *testing.T) {
	if _, led := run(t, []step{{0, campaign(1, 0)}}); led {
		t.Error("leader-elected held without a leader")
	}
	if _, led := run(t, []step{{0, lead(1)}}); !led {
		t.Error("leader-elected did not hold after n1 led")
	}
}

// TestDigest: the digest chains, and tells data apart.
func TestDigest(t *testing.T) {
	a, b := raftsafety.Digest(0, []byte("put x=1")), raftsafety.Digest(0, []byte("put x=2"))
	if a == b || a == 0 {
		t.Errorf("digests %x and %x", a, b)
	}
	if got := raftsafety.Digest(raftsafety.Digest(0, []byte("put ")), []byte("x=1")); got != a {
		t.Errorf("chained digest %x, want %x", got, a)
	}
}
