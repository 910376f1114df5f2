package faults

import (
	"fmt"
	"slices"
	"strings"

	"github.com/orrery-sim/orrery/internal/assert"
	"github.com/orrery-sim/orrery/scheduler"
	"github.com/orrery-sim/orrery/sim"
)

// ppm is one million: rates and clock drift are in parts per million.
const ppm = 1_000_000

// Injector applies faults to one world and remembers what it needs to undo them
// (the network before any jitter, the loss rates, which pause or spike a
// scheduled end belongs to). Install makes one per run; scenario scripts make one
// to apply faults by hand.
type Injector struct {
	w       *sim.World
	servers []sim.NodeID // what partition shapes divide
	base    sim.NetworkConfig
	dropPPM uint32
	dupPPM  uint32
	// Generations, so that the scheduled end of an old pause or spike does not
	// end a newer one on the same box or link.
	pauseGen map[string]uint32
	spikeGen map[[2]sim.NodeID]uint32
	stopped  bool
	// reconfigurer is the protocol's reconfiguration hook (nil: none).
	reconfigurer Reconfigurer
}

// NewInjector returns an injector for w. Partition shapes (isolate, split,
// halves, bridge) divide servers; nil means every agent of the world. The
// network as it is now is what jitter widens and heal restores.
func NewInjector(w *sim.World, servers []sim.NodeID) *Injector {
	if len(servers) == 0 {
		for id := 0; id < w.Len(); id++ {
			servers = append(servers, sim.NodeID(id))
		}
	}
	return &Injector{
		w: w, servers: slices.Clone(servers), base: w.Network(),
		pauseGen: map[string]uint32{}, spikeGen: map[[2]sim.NodeID]uint32{},
	}
}

// Stopped reports whether HealAll ended the injection of scheduled faults.
func (in *Injector) Stopped() bool { return in.stopped }

// agents resolves a name: an agent, or every agent of a box.
func (in *Injector) agents(name string) ([]sim.NodeID, error) {
	if id, ok := in.w.Lookup(name); ok {
		return []sim.NodeID{id}, nil
	}
	if ids := in.w.BoxAgents(name); len(ids) > 0 {
		return ids, nil
	}
	return nil, in.unknown(name)
}

// box resolves a name to a box: a box name, or the box of an agent.
func (in *Injector) box(name string) (string, error) {
	if id, ok := in.w.Lookup(name); ok {
		return in.w.BoxOf(id), nil
	}
	if len(in.w.BoxAgents(name)) > 0 {
		return name, nil
	}
	return "", in.unknown(name)
}

func (in *Injector) unknown(name string) error {
	var names []string
	for id := 0; id < in.w.Len(); id++ {
		names = append(names, in.w.Name(sim.NodeID(id)))
	}
	for _, b := range in.w.Boxes() {
		if !slices.Contains(names, b) {
			names = append(names, b)
		}
	}
	return fmt.Errorf("unknown node %q (agents and boxes: %s)", name, strings.Join(names, " "))
}

// Check reports whether every name in f resolves in the world (and, for a
// reconfiguration, whether the protocol takes it).
func (in *Injector) Check(f Fault) error {
	if f.Kind == Reconfigure {
		return in.checkReconfigure(f)
	}
	names := []string{f.Node, f.From, f.To}
	for _, g := range f.Groups {
		names = append(names, g...)
	}
	for _, n := range names {
		if n == "" {
			continue
		}
		if _, err := in.agents(n); err != nil {
			return err
		}
	}
	return nil
}

// Schedule checks every entry of a plan, then schedules each at offset + its
// time. Entries whose time comes after HealAll are skipped.
func (in *Injector) Schedule(p Plan, offset sim.Time) error {
	for _, e := range p {
		if err := in.Check(e.Fault); err != nil {
			if e.Line > 0 {
				return fmt.Errorf("plan:%d:%d: %v", e.Line, e.Col, err)
			}
			return fmt.Errorf("plan entry %q: %v", e.Fault.String(), err)
		}
	}
	for _, e := range p {
		f := e.Fault
		in.w.At(offset+e.At, "", func(*sim.World) {
			if !in.stopped {
				in.mustApply(f)
			}
		})
	}
	return nil
}

func (in *Injector) mustApply(f Fault) {
	if err := in.Apply(f); err != nil {
		assert.Fail("faults: %q passed Check but did not apply: %v", f.String(), err)
	}
}

// Apply applies f now and records it in the trace and the fault counters.
// Crash, restart, pause and resume are traced and counted by the world itself.
func (in *Injector) Apply(f Fault) error {
	if err := in.Check(f); err != nil {
		return err
	}
	switch {
	case f.Kind <= Resume:
		in.applyBox(f)
	case f.Kind.partitionShape():
		in.partition(f)
	case f.Kind == Cut || f.Kind == Clog || f.Kind == Spike:
		in.link(f)
	case f.Kind == Skew:
		in.skew(f)
	case f.Kind == Reconfigure:
		return in.reconfigure(f)
	default:
		in.network(f)
	}
	return nil
}

func (in *Injector) applyBox(f Fault) {
	box, _ := in.box(f.Node)
	switch f.Kind {
	case Crash:
		in.w.Crash(box, f.Mode)
	case Restart:
		in.w.Restart(box)
	case Pause:
		in.pauseGen[box]++
		in.w.Pause(box)
		if f.For > 0 {
			gen := in.pauseGen[box]
			in.w.At(in.w.Now()+f.For, "", func(w *sim.World) {
				if in.pauseGen[box] == gen {
					w.Resume(box)
				}
			})
		}
	case Resume:
		in.w.Resume(box)
	}
}

// network applies the faults that change the whole network.
func (in *Injector) network(f Fault) {
	in.w.RecordFault(f.Kind.String(), f.String())
	switch f.Kind {
	case Mend:
		for a := 0; a < in.w.Len(); a++ {
			for b := 0; b < in.w.Len(); b++ {
				in.w.Mend(sim.NodeID(a), sim.NodeID(b))
			}
		}
	case Heal:
		in.healNetwork()
	case Drop:
		in.dropPPM = f.PPM
		in.w.SetLoss(in.dropPPM, in.dupPPM)
	case Dup:
		in.dupPPM = f.PPM
		in.w.SetLoss(in.dropPPM, in.dupPPM)
	case Jitter:
		cfg := in.base
		cfg.DelayMax += f.Delay
		in.w.SetNetwork(cfg)
	default:
		assert.Fail("faults: %v is not a network fault", f.Kind)
	}
}

func (in *Injector) healNetwork() {
	in.w.HealNetwork()
	in.w.SetNetwork(in.base)
	in.dropPPM, in.dupPPM = 0, 0
}

// pairs lists the directed links a link fault acts on.
func (in *Injector) pairs(f Fault) [][2]sim.NodeID {
	from, _ := in.agents(f.From)
	to, _ := in.agents(f.To)
	var out [][2]sim.NodeID
	for _, a := range from {
		for _, b := range to {
			if a == b {
				continue
			}
			out = append(out, [2]sim.NodeID{a, b})
			if f.Both {
				out = append(out, [2]sim.NodeID{b, a})
			}
		}
	}
	return out
}

func (in *Injector) link(f Fault) {
	in.w.RecordFault(f.Kind.String(), f.String())
	now := in.w.Now()
	for _, l := range in.pairs(f) {
		switch f.Kind {
		case Cut:
			in.w.Cut(l[0], l[1])
		case Clog:
			in.w.Clog(l[0], l[1], now+f.For)
		case Spike:
			in.spikeGen[l]++
			in.w.Spike(l[0], l[1], f.Delay)
			if f.For > 0 {
				gen := in.spikeGen[l]
				in.w.At(now+f.For, "", func(w *sim.World) {
					if in.spikeGen[l] == gen {
						w.Spike(l[0], l[1], 0)
					}
				})
			}
		}
	}
}

// skew steps an agent's clock by f.Offset and sets its drift, keeping the clock
// continuous otherwise: the time it shows now moves by exactly the step.
func (in *Injector) skew(f Fault) {
	in.w.RecordFault(f.Kind.String(), f.String())
	ids, _ := in.agents(f.Node)
	for _, id := range ids {
		in.setClock(id, f.Offset, f.Drift)
	}
}

func (in *Injector) setClock(id sim.NodeID, step sim.Time, drift int64) {
	now := in.w.Now()
	shown := in.w.LocalTime(id) - now + step
	// The world shows now + offset + now*drift/ppm; solve for the offset.
	in.w.SetClock(id, shown-sim.Time(int64(now)*drift/ppm), drift)
}

// HealAll ends the fault injection for the liveness phase: it stops scheduled
// faults, heals the network (partitions, clogs, spikes, loss, jitter), resumes
// paused boxes, restarts crashed ones and stops clock drift.
//
// Clock offsets are kept: healing a clock would step it backwards or forwards,
// which is itself a fault, and real clocks stay apart by their offset. Drift is
// stopped, keeping the shown time continuous, so that a node's timeouts measure
// the same durations as its peers' while the run converges.
func (in *Injector) HealAll() {
	in.stopped = true
	in.healNetwork()
	for _, b := range in.w.Boxes() {
		in.w.Resume(b)
		in.w.Restart(b)
	}
	for id := 0; id < in.w.Len(); id++ {
		if _, drift := in.w.Clock(sim.NodeID(id)); drift != 0 {
			in.setClock(sim.NodeID(id), 0, 0)
		}
	}
	in.w.RecordFault(Heal.String(), "heal all: network, paused and crashed boxes, clock drift")
}

// shuffle returns the servers in an order drawn through the chooser.
func (in *Injector) shuffle(ids []sim.NodeID) []sim.NodeID {
	out := slices.Clone(ids)
	for i := len(out) - 1; i > 0; i-- {
		j := in.w.Choose(scheduler.Fault, uint64(i+1))
		out[i], out[j] = out[j], out[i]
	}
	return out
}
