package faults

import (
	"strconv"
	"strings"

	"github.com/orrery-sim/orrery/scheduler"
	"github.com/orrery-sim/orrery/sim"
	"github.com/orrery-sim/orrery/traces"
)

// drawDownForGood draws the server boxes that stay down for good in the
// liveness phase of a swarm run: how many (0..s.DownForGoodMax, at most the
// boxes that hold only servers) and which. It draws through its own purpose
// (scheduler.Swarm), after the plan, so the plan and every other choice of
// the run are the same as without it; a protocol that allows none draws
// nothing.
func drawDownForGood(w *sim.World, s Setup) []string {
	if s.DownForGoodMax <= 0 {
		return nil
	}
	boxes := topologyOf(w, s.Servers).boxes
	k := int(w.Choose(scheduler.Swarm, uint64(min(s.DownForGoodMax, len(boxes))+1)))
	down := make([]string, 0, k)
	for i := 0; i < k; i++ {
		j := i + int(w.Choose(scheduler.Swarm, uint64(len(boxes)-i)))
		boxes[i], boxes[j] = boxes[j], boxes[i]
		down = append(down, boxes[i])
	}
	return down
}

// downForGoodOption is the banner line of the draw.
func downForGoodOption(down []string, most int) traces.Option {
	v := "none"
	if len(down) > 0 {
		v = strings.Join(down, " ")
	}
	return traces.Option{Key: "fault.downforgood", Value: v + " (of at most " + strconv.Itoa(most) + "): stay down in the liveness phase"}
}
