package raft_test

import (
	"fmt"

	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/protocols/raft"
	"github.com/orrery-sim/orrery/scheduler"
	"github.com/orrery-sim/orrery/sim"
)

// A small nemesis of the test's own, driving the world directly: crashes (some
// tearing unsynced writes), restarts, partitions, pauses, message loss and
// duplication during the safety phase, all healed when the liveness phase
// starts. Registered as "raft-nemesis" (and "raft-nemesis-prevote") so that
// harness.Run can drive it.
func init() {
	for _, v := range []struct {
		name string
		cfg  raft.Config
	}{{"raft-nemesis", raft.DefaultConfig}, {"raft-nemesis-prevote", raft.Config{PreVote: true, CheckQuorum: true}}} {
		p, _ := protocols.Lookup("raft")
		q := *p
		q.Name = v.name
		setup := raft.Setup(v.cfg)
		q.Setup = func(w *sim.World, o protocols.Options) (*protocols.Instance, error) {
			inst, err := setup(w, o)
			if err == nil {
				installNemesis(w, inst, q.Safety)
			}
			return inst, err
		}
		protocols.Register(&q)
	}
}

const (
	nemesisStepMin = 100 * sim.Millisecond
	nemesisStepMax = 1500 * sim.Millisecond
)

type nemesis struct {
	servers   []sim.NodeID
	tolerates int
	down      map[string]bool
}

func installNemesis(w *sim.World, inst *protocols.Instance, safety sim.Time) {
	n := &nemesis{servers: inst.Servers, tolerates: inst.Tolerates, down: map[string]bool{}}
	t := sim.Time(0)
	for {
		t += nemesisStepMin + sim.Time(w.Choose(scheduler.Fault, uint64(nemesisStepMax-nemesisStepMin)))
		if t >= safety {
			break
		}
		kind := w.Choose(scheduler.Fault, 8)
		w.At(t, "", func(w *sim.World) { n.act(w, kind) })
	}
	w.OnLiveness(func(w *sim.World) {
		w.HealNetwork()
		for _, id := range n.servers {
			b := w.BoxOf(id)
			w.Resume(b)
			w.Restart(b)
		}
	})
}

func (n *nemesis) box(w *sim.World) string {
	return w.BoxOf(n.servers[w.Choose(scheduler.Fault, uint64(len(n.servers)))])
}

func (n *nemesis) downCount(w *sim.World) int {
	c := 0
	for _, id := range n.servers {
		if b := w.BoxOf(id); !w.BoxUp(b) || w.BoxPaused(b) {
			c++
		}
	}
	return c
}

func (n *nemesis) act(w *sim.World, kind uint64) {
	switch kind {
	case 0, 1: // crash
		if n.downCount(w) < n.tolerates {
			mode := sim.LoseUnsynced
			if w.Choose(scheduler.Fault, 2) == 0 {
				mode = sim.TornWrites
			}
			w.Crash(n.box(w), mode)
		}
	case 2: // restart everything down
		for _, id := range n.servers {
			w.Restart(w.BoxOf(id))
			w.Resume(w.BoxOf(id))
		}
	case 3, 4: // partition: a random subset against the rest
		w.HealNetwork()
		side := make([]bool, len(n.servers))
		for i := range side {
			side[i] = w.Choose(scheduler.Fault, 2) == 0
		}
		for i, a := range n.servers {
			for j, b := range n.servers {
				if side[i] != side[j] {
					w.Cut(a, b)
				}
			}
		}
		w.RecordFault("partition", fmt.Sprint(side))
	case 5:
		w.HealNetwork()
		w.RecordFault("heal", "")
	case 6:
		w.SetLoss(uint32(w.Choose(scheduler.Fault, 100_000)), uint32(w.Choose(scheduler.Fault, 200_000)))
		w.RecordFault("loss", "")
	case 7:
		if n.downCount(w) < n.tolerates {
			w.Pause(n.box(w))
		}
	}
}
