package primarybackup

import (
	"fmt"

	"github.com/orrery-sim/orrery/sim"
)

// checker verifies each completed get once: it may return the value of the
// last write to its key that was acknowledged before the get was invoked, or
// of a write that may have taken effect after that one (invoked before the get
// returned, and not acknowledged before that last write was invoked); with no
// such acknowledged write, also "absent". Reading anything older means an
// acknowledged write was lost to the reader.
type checker struct {
	checked []bool // by operation: a completed get already verified
}

func (c *checker) reads(w *sim.World) error {
	ops := w.History().Ops
	for len(c.checked) < len(ops) {
		c.checked = append(c.checked, false)
	}
	for i, op := range ops {
		if c.checked[i] || !op.Done {
			continue // open operations may complete later, or never (timed out)
		}
		c.checked[i] = true
		if in, _ := op.Input.(Op); in.Get {
			if err := checkGet(ops, op); err != nil {
				return err
			}
		}
	}
	return nil
}

func checkGet(ops []sim.Op, get sim.Op) error {
	in, out := get.Input.(Op), get.Output.(Result)
	var last *sim.Op
	for i := range ops {
		w := &ops[i]
		if op, _ := w.Input.(Op); !op.Get && op.Key == in.Key && w.Done && w.Return < get.Call && (last == nil || w.Return > last.Return) {
			last = w
		}
	}
	if last == nil && !out.Found {
		return nil
	}
	for i := range ops {
		w := &ops[i]
		op, _ := w.Input.(Op)
		if op.Get || op.Key != in.Key || w.Call >= get.Return {
			continue
		}
		if last != nil && w.Done && w.Return < last.Call {
			continue // over before the last acknowledged write began
		}
		if out.Found && op.Value == out.Value {
			return nil
		}
	}
	want := "absent"
	if last != nil {
		want = fmt.Sprintf("%q (%s, acknowledged at %v)", last.Input.(Op).Value, last.Input.(Op), last.Return)
	}
	return fmt.Errorf("%s returned %s from %s at %v; want %s or newer", in, found(out.Value, out.Found), out.By, get.Return, want)
}
