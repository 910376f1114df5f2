package faults

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/orrery-sim/orrery/sim"
	"github.com/orrery-sim/orrery/traces"
)

// Reconfiguration as a fault: the nemesis (or a plan) asks the protocol to
// change its configuration while it runs, and the protocol does it in its own
// way through a hook it opts into (Options.Reconfigure). Only the protocol knows
// what a configuration is, so this package names the change and leaves it at
// that: it never waits for a change to finish, and it does not import the
// protocols.

// ChangeOp is what a reconfiguration does.
type ChangeOp uint8

// The reconfigurations, with their text form after "reconfigure".
const (
	ChangeNone    ChangeOp = iota
	ChangeAdd              // add NODE: NODE joins
	ChangeRemove           // remove NODE: NODE leaves
	ChangeReplace          // replace NODE NODE: the first leaves, the second joins
)

var changeNames = [...]string{"", "add", "remove", "replace"}

func (c ChangeOp) String() string {
	if int(c) < len(changeNames) && c != ChangeNone {
		return changeNames[c]
	}
	return "change(" + strconv.Itoa(int(c)) + ")"
}

// Change is a reconfiguration as the protocol's hook receives it, names
// resolved to agents. Add is the server that joins (add, replace) and Remove
// the one that leaves (remove, replace); the other is NoNode.
type Change struct {
	Op          ChangeOp
	Add, Remove sim.NodeID
}

// NoNode marks an unused end of a Change.
const NoNode sim.NodeID = -1

// Reconfigurer applies a Change to a running world: a protocol's hook. It starts
// the change (the protocol carries it out with its own messages) and returns; an
// error is a change the protocol cannot take at all.
type Reconfigurer func(w *sim.World, c Change) error

// reconfigure reads "add NODE", "remove NODE" or "replace NODE NODE".
func (p *parser) reconfigure(f *Fault) error {
	t, err := p.word("add, remove or replace", "reconfigure")
	if err != nil {
		return err
	}
	op := ChangeOp(slices.Index(changeNames[:], t.text))
	if op == ChangeNone || int(op) >= len(changeNames) {
		return p.errorf(t, "expected add, remove or replace after \"reconfigure\", found %s", t.quote())
	}
	f.Change = op
	if f.Node, err = p.name(t.text); err != nil || op != ChangeReplace {
		return err
	}
	first := p.peek()
	if f.To, err = p.name(f.Node); err != nil {
		return err
	}
	if f.To == f.Node {
		return p.errorf(first, "a replacement needs two different servers, got %q twice", f.To)
	}
	return nil
}

// SetReconfigurer installs the protocol's reconfiguration hook; without one,
// reconfigure faults are refused by Check.
func (in *Injector) SetReconfigurer(r Reconfigurer) { in.reconfigurer = r }

// checkReconfigure: the protocol takes reconfigurations, and every name is one
// of the servers (members and spares), never a client.
func (in *Injector) checkReconfigure(f Fault) error {
	if in.reconfigurer == nil {
		return fmt.Errorf("%q: this protocol does not support reconfiguration", f.String())
	}
	for _, name := range []string{f.Node, f.To} {
		if name == "" {
			continue
		}
		id, ok := in.w.Lookup(name)
		if !ok || !slices.Contains(in.servers, id) {
			return fmt.Errorf("%q: %q is not a server (reconfigurations name servers or spares)", f.String(), name)
		}
	}
	return nil
}

// reconfigure hands the change to the protocol and records it.
func (in *Injector) reconfigure(f Fault) error {
	c := Change{Op: f.Change, Add: NoNode, Remove: NoNode}
	node, _ := in.w.Lookup(f.Node)
	switch f.Change {
	case ChangeAdd:
		c.Add = node
	case ChangeRemove:
		c.Remove = node
	case ChangeReplace:
		c.Remove = node
		c.Add, _ = in.w.Lookup(f.To)
	}
	in.w.RecordFault(Reconfigure.String(), f.String())
	return in.reconfigurer(in.w, c)
}

// laneReconfigure is the nemesis lane of reconfigurations. It lies outside the
// lanes every protocol has (and their arrays): it is drawn only for a protocol
// with a reconfiguration hook, after every other lane, so that a protocol
// without one draws exactly the plans it drew before the lane existed.
const laneReconfigure = laneCount

// reconfigureSettings draws the lane's settings: on, and how often, like the
// other lanes of swarm mode; in default mode every ~4s.
func (d drawer) reconfigureSettings(swarm bool) settings {
	s := settings{on: true, every: 4 * sim.Second}
	if swarm {
		s.on = d.n(2) == 1
		s.every = everyMenu[d.n(len(everyMenu))]
	}
	return s
}

// reconfigureLane appends the lane's episodes: one change each, drawn against
// the configuration the earlier changes of the plan lead to, so that each is
// valid in plan order. The configuration never drops below 2*Tolerates+1
// members (the budget: the faults that may be down at once still leave a
// majority), and only spares or removed servers join.
func (d drawer) reconfigureLane(out []episode, s Options, set settings) []episode {
	var members, outside []string
	for _, id := range s.Servers {
		if slices.Contains(s.Spares, id) {
			outside = append(outside, d.w.Name(id))
		} else {
			members = append(members, d.w.Name(id))
		}
	}
	sizeMin := max(1, 2*s.Tolerates+1)
	t := sim.Time(0)
	for range episodesPerLaneMax {
		t += d.between(sim.Millisecond, 2*set.every)
		if t >= s.Safety {
			break
		}
		var ops []ChangeOp
		if len(outside) > 0 {
			ops = append(ops, ChangeAdd, ChangeReplace)
		}
		if len(members) > sizeMin {
			ops = append(ops, ChangeRemove)
		}
		if len(ops) == 0 {
			continue
		}
		f := Fault{Kind: Reconfigure, Change: ops[d.n(len(ops))]}
		if f.Change == ChangeRemove || f.Change == ChangeReplace {
			i := d.n(len(members))
			f.Node = members[i]
			members = slices.Delete(members, i, i+1)
			outside = append(outside, f.Node)
		}
		if f.Change == ChangeAdd || f.Change == ChangeReplace {
			i := d.n(len(outside) - boolInt(f.Change == ChangeReplace)) // not the one that just left
			joins := outside[i]
			outside = slices.Delete(outside, i, i+1)
			members = append(members, joins)
			if f.Change == ChangeAdd {
				f.Node = joins
			} else {
				f.To = joins
			}
		}
		e := episode{lane: laneReconfigure, start: t, end: t, count: 1}
		e.entries[0] = Entry{At: t, Fault: f}
		out = append(out, e)
	}
	return out
}

// reconfigureOption is the lane's line in the banner.
func reconfigureOption(w *sim.World, s Options, set settings) traces.Option {
	text := set.describe(laneReconfigure)
	if set.on && len(s.Spares) > 0 {
		var names []string
		for _, id := range s.Spares {
			names = append(names, w.Name(id))
		}
		text += "; spares " + strings.Join(names, " ")
	}
	return traces.Option{Key: "fault.reconf", Value: text}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
