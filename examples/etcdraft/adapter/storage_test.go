package adapter_test

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/orrery-sim/orrery/examples/etcdraft/adapter"
	"github.com/orrery-sim/orrery/scheduler"
	"github.com/orrery-sim/orrery/sim"
	"go.etcd.io/raft/v3/raftpb"
)

// state is what a node's storage holds, as raft reads it. (The entries kept
// before a snapshot for lagging followers are not: a restarted node has only
// the entries after its snapshot.)
type state struct {
	HardState raftpb.HardState
	SnapIndex uint64
	SnapData  string
	Log       []string // index/term of each entry after the snapshot
}

func stateOf(s *adapter.Storage) state {
	snap, _ := s.Snapshot()
	hs, _, _ := s.InitialState()
	last, _ := s.LastIndex()
	st := state{HardState: hs, SnapIndex: snap.Metadata.Index, SnapData: string(snap.Data)}
	for i := snap.Metadata.Index + 1; i <= last; i++ {
		t, _ := s.Term(i)
		st.Log = append(st.Log, fmt.Sprintf("%d/%d", i, t))
	}
	return st
}

func ents(term uint64, from, to uint64) []raftpb.Entry {
	var es []raftpb.Entry
	for i := from; i <= to; i++ {
		es = append(es, raftpb.Entry{Index: i, Term: term, Data: []byte{byte(i)}})
	}
	return es
}

var members = raftpb.ConfState{Voters: []uint64{1, 2, 3}}

// script writes one WAL record per step (plus the deletions of a checkpoint):
// entries, an overwrite that truncates, hard states, a compaction, and a
// snapshot from a leader. syncedSteps are synced before the rest.
var script = []func(s *adapter.Storage){
	func(s *adapter.Storage) { s.Save(raftpb.HardState{}, ents(1, 2, 4), raftpb.Snapshot{}) },
	func(s *adapter.Storage) {
		s.Save(raftpb.HardState{Term: 1, Vote: 1, Commit: 3}, nil, raftpb.Snapshot{})
	},
	func(s *adapter.Storage) { s.Save(raftpb.HardState{}, ents(2, 4, 5), raftpb.Snapshot{}) },
	func(s *adapter.Storage) {
		s.Save(raftpb.HardState{Term: 2, Vote: 2, Commit: 4}, nil, raftpb.Snapshot{})
	},
	func(s *adapter.Storage) { s.Compact(4, &members, []byte("state@4"), 1) },
	func(s *adapter.Storage) { s.Save(raftpb.HardState{}, ents(2, 6, 6), raftpb.Snapshot{}) },
	func(s *adapter.Storage) {
		snap := raftpb.Snapshot{Data: []byte("state@8"), Metadata: raftpb.SnapshotMetadata{Index: 8, Term: 3, ConfState: members}}
		s.Save(raftpb.HardState{Term: 3, Commit: 8}, nil, snap)
	},
	func(s *adapter.Storage) { s.Save(raftpb.HardState{}, ents(3, 9, 10), raftpb.Snapshot{}) },
}

const syncedSteps = 2

// walAgent runs the script at its first start and records what it recovers
// at the next.
type walAgent struct {
	first     *bool
	states    *[]state // after opening, then after each step
	recovered *state
}

func (a *walAgent) Start(ctx *sim.Context) {
	s := adapter.OpenStorage(ctx.Storage(), members)
	if !*a.first {
		*a.recovered = stateOf(s)
		return
	}
	*a.first = false
	*a.states = append(*a.states, stateOf(s))
	for i, step := range script {
		step(s)
		*a.states = append(*a.states, stateOf(s))
		if i+1 == syncedSteps {
			ctx.Sync()
		}
	}
}
func (a *walAgent) Receive(*sim.Context, sim.NodeID, sim.Message) {}
func (a *walAgent) Timer(*sim.Context, string)                    {}

// keep answers k to the torn-write question: that many unsynced writes survive.
type keep uint64

func (k keep) Choose(p scheduler.Purpose, n uint64) uint64 {
	if p == scheduler.Torn {
		return min(uint64(k), n-1)
	}
	return 0
}

// TestTornWritesRecoverAStateTheNodeHad: whatever prefix of the unsynced
// writes a crash keeps, recovery finds the storage as it was after some step
// at or after the last sync, and every such step is recovered by some prefix.
func TestTornWritesRecoverAStateTheNodeHad(t *testing.T) {
	recoveredSteps := map[int]bool{}
	for k := 0; ; k++ {
		first, states, recovered := true, []state{}, state{}
		w := sim.New(sim.Options{Chooser: keep(k)})
		w.AddAgent(sim.AgentSpec{Name: "n1", New: func() sim.Agent { return &walAgent{&first, &states, &recovered} }})
		w.RunUntil(sim.Millisecond)
		unsynced := w.StorageOf(0).Unsynced()
		w.Crash("n1", sim.TornWrites)
		w.Restart("n1")
		w.RunUntil(2 * sim.Millisecond)
		step := -1
		for i := syncedSteps; i < len(states); i++ {
			if cmp.Equal(states[i], recovered) {
				step = i
			}
		}
		if step < 0 {
			t.Fatalf("keeping %d of %d unsynced writes recovered a state the node never had:\n%+v", k, unsynced, recovered)
		}
		recoveredSteps[step] = true
		if k >= unsynced {
			break
		}
	}
	for i := syncedSteps; i <= len(script); i++ {
		if !recoveredSteps[i] {
			t.Errorf("no crash recovered the state after step %d", i)
		}
	}
}
