package abd

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/orrery-sim/orrery/faults"
	"github.com/orrery-sim/orrery/protocols/quorum"
	"github.com/orrery-sim/orrery/sim"
)

// TestAdminApply: the configuration each change leads to from e3{n1 n2 n4},
// and the changes refused.
func TestAdminApply(t *testing.T) {
	a := newAdmin(quorum.Configuration{Epoch: 3, Nodes: []sim.NodeID{0, 1, 3}}, []sim.NodeID{0, 1, 2, 3, 4}, "")
	none := faults.NoNode
	for _, c := range []struct {
		change faults.Change
		want   string
	}{
		{faults.Change{Op: faults.ChangeAdd, Add: 2, Remove: none}, "e4{n1 n2 n3 n4}"},
		{faults.Change{Op: faults.ChangeRemove, Add: none, Remove: 1}, "e4{n1 n4}"},
		{faults.Change{Op: faults.ChangeReplace, Add: 4, Remove: 0}, "e4{n2 n4 n5}"},
		{faults.Change{Op: faults.ChangeAdd, Add: 1, Remove: none}, "n2 is a member of e3{n1 n2 n4} already, or no replica"},
		{faults.Change{Op: faults.ChangeAdd, Add: 7, Remove: none}, "n8 is a member of e3{n1 n2 n4} already, or no replica"},
		{faults.Change{Op: faults.ChangeRemove, Add: none, Remove: 2}, "n3 is not a member of e3{n1 n2 n4}"},
		{faults.Change{Op: faults.ChangeReplace, Add: 3, Remove: 0}, "n4 is a member of e3{n1 n2 n4} already, or no replica"},
	} {
		next, err := a.apply(c.change)
		got := describeConfig(next)
		if err != nil {
			got = err.Error()
		}
		if d := cmp.Diff(c.want, got); d != "" {
			t.Errorf("%s (-want +got):\n%s", Reconfiguration{c.change}.Describe(), d)
		}
	}
}
