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

// confFake is a fake server with a configuration: the voters it holds in
// force at the end of its log (every index, for these scripts).
type confFake struct {
	*fake
	voters []sim.NodeID
}

func (f *confFake) VotersAt(uint64) ([]sim.NodeID, bool) { return f.voters, true }

// runConfig plays a script on five servers, n4 and n5 spares outside the
// first configuration {n1 n2 n3}; voters overrides a server's configuration.
// With plain views the checker knows no configuration: all five vote.
func runConfig(script []step, plain bool, voters map[int][]sim.NodeID) string {
	w := sim.New(sim.Options{Chooser: scheduler.Zero{}})
	servers := make([]sim.NodeID, 5)
	views := map[sim.NodeID]raftsafety.View{}
	for i := range servers {
		f := &fake{disk: &disk{vote: -1}}
		servers[i] = w.AddAgent(sim.AgentSpec{Name: fmt.Sprintf("n%d", i+1), New: func() sim.Agent { return f }})
		vs, ok := voters[i]
		if !ok {
			vs = []sim.NodeID{0, 1, 2}
		}
		views[servers[i]] = &confFake{f, vs}
		if plain {
			views[servers[i]] = f
		}
	}
	raftsafety.New(servers, func(w *sim.World, id sim.NodeID) (raftsafety.View, bool) {
		return views[id], w.Up(id)
	}).Register(w)
	for k, s := range script {
		w.Request(sim.Time(k+1)*sim.Millisecond, servers[s.server], s.do)
	}
	if r := w.Run(sim.Time(len(script)+2)*sim.Millisecond, 0); r.Failed() {
		return r.Property + ": " + r.Reason
	}
	return ""
}

// TestConfigViewElectorate: leader completeness's electability check counts
// the voters of the configuration at the end of a would-be candidate's log,
// not every server the checker watches.
func TestConfigViewElectorate(t *testing.T) {
	// n1 and n2, a majority of {n1 n2 n3}, hold and commit x=1.
	committed := []step{{0, lead(1)}, {0, appendAt(1, 1, "x=1")}, {1, appendAt(1, 1, "x=1")}, {0, commit(1)}, {2, setTerm(1)}}
	tests := []struct {
		name   string
		plain  bool
		voters map[int][]sim.NodeID
		want   string
	}{
		{"spares outside the configuration do not vote", false, nil, ""},
		{"without a configuration every server votes", true, nil,
			"leader-completeness: n3 lacks committed entry 1/1 x=1 (committed by n1) but could win an election: its log (last 0/0) is as up-to-date as those of [n3 n4 n5]"},
		{"a stale configuration's majority", false, map[int][]sim.NodeID{2: {2, 3}},
			"leader-completeness: n3 lacks committed entry 1/1 x=1 (committed by n1) but could win an election: its log (last 0/0) is as up-to-date as those of [n3 n4]"},
		{"a server outside its configuration counts no vote of its own", false, map[int][]sim.NodeID{2: {1, 3, 4}},
			"leader-completeness: n3 lacks committed entry 1/1 x=1 (committed by n1) but could win an election: its log (last 0/0) is as up-to-date as those of [n4 n5]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := runConfig(committed, tt.plain, tt.voters)
			if tt.want == "" || !strings.HasPrefix(got, tt.want) {
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("first failure (-want +got):\n%s", diff)
				}
			}
		})
	}
}
