package raft

import (
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/orrery-sim/orrery/sim"
)

// Inspection for scenario scripts and reports. Each returns "down" for a
// server whose box is down.

func serverOf(w *sim.World, id sim.NodeID) *node {
	a, _ := w.Agent(id).(*node)
	return a
}

// Leads reports whether a server believes it leads, and in which term.
func Leads(w *sim.World, id sim.NodeID) (uint64, bool) {
	if a := serverOf(w, id); a != nil && a.role == roleLeader {
		return a.term, true
	}
	return 0, false
}

// DescribeLog renders a server's snapshot point and the entries after it.
func DescribeLog(w *sim.World, id sim.NodeID) string {
	a := serverOf(w, id)
	if a == nil {
		return "down"
	}
	parts := []string{"snapshot " + u(a.log.snapIndex) + "/" + u(a.log.snapTerm)}
	for _, e := range a.log.entries {
		parts = append(parts, e.Describe())
	}
	return strings.Join(parts, ", ")
}

// DescribeKV renders a server's state machine: its data in key order.
func DescribeKV(w *sim.World, id sim.NodeID) string {
	a := serverOf(w, id)
	if a == nil {
		return "down"
	}
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(a.kv.Data)) {
		parts = append(parts, k+"="+strconv.Quote(a.kv.Data[k]))
	}
	return "{" + strings.Join(parts, " ") + "} applied " + u(a.applied)
}
