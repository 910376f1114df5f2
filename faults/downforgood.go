package faults

import (
	"slices"
	"strings"

	"github.com/orrery-sim/orrery/sim"
	"github.com/orrery-sim/orrery/traces"
)

// downForGoodBoxes are the boxes of the servers that stay down for good.
func downForGoodBoxes(w *sim.World, servers []sim.NodeID) []string {
	var boxes []string
	for _, id := range servers {
		if b := w.BoxOf(id); !slices.Contains(boxes, b) {
			boxes = append(boxes, b)
		}
	}
	return boxes
}

// downForGoodOption is the banner line of the servers that stay down.
func downForGoodOption(w *sim.World, servers []sim.NodeID) traces.Option {
	names := make([]string, len(servers))
	for i, id := range servers {
		names[i] = w.Name(id)
	}
	return traces.Option{Key: "fault.downforgood", Value: strings.Join(names, " ") + ": stay down in the liveness phase"}
}
