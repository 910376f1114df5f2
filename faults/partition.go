package faults

import (
	"slices"
	"strings"

	"github.com/orrery-sim/orrery/internal/assert"
	"github.com/orrery-sim/orrery/sim"
)

// partition cuts every link between two agents that share no group. Agents in
// no group (clients, unless named) keep every link. Cuts add up: a partition
// does not mend earlier ones; mend and heal do.
func (in *Injector) partition(f Fault) {
	groups := in.groups(f)
	// The trace shows drawn groups in plan syntax, so the fault can be replayed.
	text := f.Kind.String() + " " + in.render(groups)
	if f.Kind == Isolate {
		text = f.String()
	}
	in.w.RecordFault(f.Kind.String(), text)
	member := make([]uint64, in.w.Len()) // bit g: agent is in group g
	for g, ids := range groups {
		for _, id := range ids {
			member[id] |= 1 << g
		}
	}
	for a := range member {
		for b := range member {
			if a != b && member[a] != 0 && member[b] != 0 && member[a]&member[b] == 0 {
				in.w.Cut(sim.NodeID(a), sim.NodeID(b))
			}
		}
	}
}

// groups resolves a partition shape to agent groups, drawing through the
// chooser what the fault leaves open (split, halves, bridge NODE).
func (in *Injector) groups(f Fault) [][]sim.NodeID {
	if len(f.Groups) > 0 {
		out := make([][]sim.NodeID, len(f.Groups))
		for g, names := range f.Groups {
			for _, n := range names {
				ids, _ := in.agents(n)
				out[g] = append(out[g], ids...)
			}
		}
		return out
	}
	var node []sim.NodeID
	if f.Node != "" {
		node, _ = in.agents(f.Node)
	}
	others := slices.DeleteFunc(slices.Clone(in.servers), func(id sim.NodeID) bool { return slices.Contains(node, id) })
	switch f.Kind {
	case Isolate:
		return [][]sim.NodeID{node, others}
	case Split:
		s := in.shuffle(others)
		minority := (len(s) - 1) / 2
		return [][]sim.NodeID{sortIDs(s[:minority]), sortIDs(s[minority:])}
	case Halves:
		s := in.shuffle(others)
		return [][]sim.NodeID{sortIDs(s[:len(s)/2]), sortIDs(s[len(s)/2:])}
	case Bridge:
		s := in.shuffle(others)
		a, b := sortIDs(s[:len(s)/2]), sortIDs(s[len(s)/2:])
		return [][]sim.NodeID{append(a, node...), append(slices.Clone(node), b...)}
	}
	assert.Fail("faults: partition of kind %v", f.Kind)
	return nil
}

func sortIDs(ids []sim.NodeID) []sim.NodeID {
	out := slices.Clone(ids)
	slices.Sort(out)
	return out
}

// render shows resolved groups as agent names: "n1 | n2 n3".
func (in *Injector) render(groups [][]sim.NodeID) string {
	parts := make([]string, len(groups))
	for g, ids := range groups {
		names := make([]string, len(ids))
		for i, id := range ids {
			names[i] = in.w.Name(id)
		}
		parts[g] = strings.Join(names, " ")
	}
	return strings.Join(parts, " | ")
}
