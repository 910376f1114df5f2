package chat

import (
	"fmt"

	"github.com/orrery-sim/orrery/sim"
)

// The checkers below judge what clients were told, beside the servers' logs:
// an acknowledgement is a promise, and a broadcast service keeps it.

// contentAgrees: every server that delivered an entry (origin, seq) holds the
// same text for it. A server that gave one sequence number to two messages
// (say, after losing its log in a crash and counting again from where it
// restarted) breaks it, even when each server's log is on its own duplicate-free
// and in order. It runs with the other always-properties, on the server that
// stepped, over the entries it has not verified yet.
func (c *checker) contentAgrees(w *sim.World) error {
	i, s := c.current(w)
	if s == nil {
		return nil
	}
	st := &c.state[i]
	for k := st.contentChecked; k < len(s.log); k++ {
		e := s.log[k]
		key := [2]int{e.Origin, e.Seq}
		if first, ok := c.texts[key]; !ok {
			c.texts[key] = textAt{text: e.Text, server: i}
		} else if first.text != e.Text {
			return fmt.Errorf("%s delivered n%d#%d as %q, but %s delivered it as %q",
				w.Name(w.Current()), e.Origin+1, e.Seq, e.Text, w.Name(c.servers[first.server]), first.text)
		}
	}
	st.contentChecked = len(s.log)
	return nil
}

// textAt is the first text seen for an entry, and the server that had it.
type textAt struct {
	text   string
	server int
}

// acknowledgedHistory judges the client history at the end of the run: each
// acknowledged message came back as an entry with the text the client sent,
// and no two messages were acknowledged as the same entry (an entry is one
// message: a server that acknowledged a second message under an entry it had
// already given out lost or overwrote the first).
func acknowledgedHistory(w *sim.World) error {
	owner := map[[2]int]sim.Op{}
	for _, op := range w.History().Ops {
		if !op.Done {
			continue
		}
		e, ok := op.Output.(Entry)
		if !ok {
			return fmt.Errorf("%s: operation %d returned %T, not an entry", w.Name(op.Client), op.ID, op.Output)
		}
		if text := fmt.Sprint(op.Input); e.Text != text {
			return fmt.Errorf("%s sent %q and was acknowledged %v", w.Name(op.Client), text, e)
		}
		key := [2]int{e.Origin, e.Seq}
		if prev, dup := owner[key]; dup {
			return fmt.Errorf("%s's %q and %s's %q were both acknowledged as n%d#%d",
				w.Name(prev.Client), fmt.Sprint(prev.Input), w.Name(op.Client), fmt.Sprint(op.Input), e.Origin+1, e.Seq)
		}
		owner[key] = op
	}
	return nil
}

// ackedDelivered: after the heal, every acknowledged message is delivered, with
// its text, by every live server. all-delivered compares the servers with each
// other, so a message that every server lost (its origin acknowledged it before
// it was durable, then crashed) passes it; this does not. An acknowledgement
// promises the message is durable at its origin, not yet relayed: a message
// whose origin stays down for good (the liveness phase's down-for-good
// variant) and that no live server delivered is lost with it, and not judged.
func (c *checker) ackedDelivered(w *sim.World) error {
	for _, op := range w.History().Ops {
		e, ok := op.Output.(Entry)
		if !op.Done || !ok {
			continue
		}
		if c.lostWithOrigin(w, e) {
			continue
		}
		for _, id := range c.servers {
			s := ServerOf(w, id)
			if s == nil {
				continue
			}
			if got, ok := s.entry(e.Origin, e.Seq); !ok || got.Text != e.Text {
				return fmt.Errorf("%s has not delivered acknowledged %v (sent by %s)", w.Name(id), e, w.Name(op.Client))
			}
		}
	}
	return nil
}

// lostWithOrigin reports whether e's origin server is down and no live
// server delivered e.
func (c *checker) lostWithOrigin(w *sim.World, e Entry) bool {
	if e.Origin < 0 || e.Origin >= len(c.servers) || w.Up(c.servers[e.Origin]) {
		return false
	}
	for _, id := range c.servers {
		if s := ServerOf(w, id); s != nil {
			if _, ok := s.entry(e.Origin, e.Seq); ok {
				return false
			}
		}
	}
	return true
}

// entry is origin's entry seq as this server delivered it, if it did.
func (s *Server) entry(origin, seq int) (Entry, bool) {
	mine := s.byOrigin[origin]
	if seq >= 1 && seq <= len(mine) && mine[seq-1].Seq == seq {
		return mine[seq-1], true
	}
	for _, e := range s.log { // a log a planted bug left out of order
		if e.Origin == origin && e.Seq == seq {
			return e, true
		}
	}
	return Entry{}, false
}
