package raftsafety

import (
	"fmt"
	"math/bits"

	"github.com/orrery-sim/orrery/internal/assert"
	"github.com/orrery-sim/orrery/sim"
)

// Property names of the leader checks (Leaders), as reported in verdicts.
const (
	// LeaderLegitimacy: a server that leads term t was granted the vote of a
	// majority of servers in term t (its own included). A tally that counts
	// a duplicated grant twice, or a leader that skips the election, fails it
	// at once, before any log diverges.
	LeaderLegitimacy = "leader-legitimacy"
	// MatchHeld: a leader's matchIndex for a follower never exceeds what the
	// follower holds: while the follower is up and in the leader's term, its
	// log reaches that index and agrees with the leader's entry there. The
	// leader commits on matchIndex, so a match the follower does not hold is
	// an entry counted as replicated that a crash can take away (§5.3,
	// Figure 2: matchIndex is the highest entry "known to be replicated").
	MatchHeld = "match-index-held"
	// ProgressMonotonic: within a leader's term its matchIndex for a
	// follower never decreases, and its nextIndex stays above it.
	ProgressMonotonic = "progress-monotonic"
)

// LeaderInvariants lists the always properties of Leaders, in the order
// Register adds them.
var LeaderInvariants = []string{LeaderLegitimacy, MatchHeld, ProgressMonotonic}

// Progress is what a leader believes of each follower's log. A View that
// also implements Progress has its bookkeeping checked while it leads; one
// that does not is checked for legitimacy only.
type Progress interface {
	// Progress returns the leader's matchIndex and nextIndex for server id
	// (Figure 2). It is called only while the View's Leader() is true.
	Progress(id sim.NodeID) (match, next uint64)
}

// Leaders checks the leader properties of one run. Build it with NewLeaders
// and add its properties with Register; like Checker it looks after every
// event at the server whose handler ran. Quorums are majorities of the
// voters in force at the end of the leader's log when its View is a
// ConfigView, else of the servers given to NewLeaders (a static
// configuration).
type Leaders struct {
	servers []sim.NodeID
	index   map[sim.NodeID]int
	viewOf  func(w *sim.World, id sim.NodeID) (View, bool)
	seq     uint64
	errs    map[string]error
	w       *sim.World

	granted map[voteKey]uint64 // (term, candidate) → bit set of the servers that voted for it
	leading []leading          // per server: what it last showed while leading
}

type voteKey struct {
	term      uint64
	candidate sim.NodeID
}

// leading is a leader's progress as last seen, for one incarnation and term.
type leading struct {
	view   View
	term   uint64
	match  []uint64
	voters uint64 // bit set of the voters in force when last seen
}

// votersMax: the grants of a candidate are a 64-bit set of servers.
const votersMax = 64

// NewLeaders returns a leader checker of the given servers; viewOf is as for
// New.
func NewLeaders(servers []sim.NodeID, viewOf func(w *sim.World, id sim.NodeID) (View, bool)) *Leaders {
	assert.That(len(servers) > 0 && len(servers) <= votersMax && viewOf != nil,
		"raftsafety.NewLeaders needs 1 to %d servers and a view function", votersMax)
	c := &Leaders{servers: servers, index: map[sim.NodeID]int{}, viewOf: viewOf, errs: map[string]error{},
		granted: map[voteKey]uint64{}, leading: make([]leading, len(servers))}
	for i, id := range servers {
		c.index[id] = i
	}
	return c
}

// Register adds the leader invariants (always) to w.
func (c *Leaders) Register(w *sim.World) {
	for _, p := range LeaderInvariants {
		w.AddProperty(sim.Property{Name: p, Kind: sim.Always, Check: func(w *sim.World) error { return c.Check(w, p) }})
	}
}

// Check brings c up to date with w and returns the error of one property.
func (c *Leaders) Check(w *sim.World, property string) error {
	c.update(w)
	return c.errs[property]
}

func (c *Leaders) fail(property string, format string, args ...any) {
	if c.errs[property] == nil {
		c.errs[property] = fmt.Errorf(format, args...)
	}
}

func (c *Leaders) update(w *sim.World) {
	if w.Events() == c.seq {
		return
	}
	c.seq, c.w = w.Events(), w
	id := w.Current()
	k, ok := c.index[id]
	if !ok {
		return
	}
	v, up := c.viewOf(w, id)
	if !up || v == nil {
		return
	}
	term := v.Term()
	if cand, ok := v.Vote(); ok {
		c.granted[voteKey{term, cand}] |= 1 << k
	}
	if !v.Leader() {
		c.leading[k] = leading{}
		return
	}
	l := &c.leading[k]
	voters := c.voters(v)
	if l.view != v || l.term != term {
		// A new leadership: it must have won its election.
		c.checkLegitimate(id, term, voters)
		*l = leading{view: v, term: term, match: make([]uint64, len(c.servers)), voters: voters}
	}
	if p, ok := v.(Progress); ok {
		c.checkProgress(id, k, v, p, l)
	}
	l.voters = voters
}

// voters is the bit set of the voters in force at the end of v's log.
func (c *Leaders) voters(v View) uint64 {
	if cv, ok := v.(ConfigView); ok {
		if ids, ok := cv.VotersAt(v.LastIndex()); ok {
			var set uint64
			for _, id := range ids {
				if k, ok := c.index[id]; ok {
					set |= 1 << k
				}
			}
			return set
		}
	}
	return 1<<len(c.servers) - 1
}

func (c *Leaders) checkLegitimate(id sim.NodeID, term uint64, voters uint64) {
	votes := bits.OnesCount64(c.granted[voteKey{term, id}] & voters)
	n := bits.OnesCount64(voters)
	if quorum := n/2 + 1; votes < quorum {
		c.fail(LeaderLegitimacy, "%s leads term %d with %d votes granted in that term, fewer than a majority (%d of %d)",
			c.w.Name(id), term, votes, quorum, n)
	}
}

// checkProgress checks a leader's matchIndex and nextIndex for every other
// server against the last values it showed in this term and against the
// follower's log.
func (c *Leaders) checkProgress(id sim.NodeID, k int, v View, p Progress, l *leading) {
	for j, f := range c.servers {
		if j == k {
			continue
		}
		match, next := p.Progress(f)
		// A server that was not a voter when last seen may have joined (again)
		// with fresh progress: what it acknowledged before may no longer hold.
		if match < l.match[j] && l.voters&(1<<j) != 0 {
			c.fail(ProgressMonotonic, "%s (leader, term %d): matchIndex for %s went back from %d to %d",
				c.w.Name(id), l.term, c.w.Name(f), l.match[j], match)
		}
		if next <= match {
			c.fail(ProgressMonotonic, "%s (leader, term %d): nextIndex %d for %s is not above its matchIndex %d",
				c.w.Name(id), l.term, next, c.w.Name(f), match)
		}
		l.match[j] = match
		if match > 0 {
			c.checkHeld(id, v, l.term, f, match)
		}
	}
}

// checkHeld checks that follower f, if it is up, holds the leader's entry at
// match. A follower in a later term may have lost it to a newer leader, and
// a follower that is down is checked when it is up again and the leader next
// acts.
func (c *Leaders) checkHeld(id sim.NodeID, v View, term uint64, f sim.NodeID, match uint64) {
	fv, up := c.viewOf(c.w, f)
	if !up || fv == nil || fv.Term() > term {
		return
	}
	// Named only on a failure: this runs for every follower after every
	// step of a leader.
	who := func() string {
		return fmt.Sprintf("%s (leader, term %d) has matchIndex %d for %s", c.w.Name(id), term, match, c.w.Name(f))
	}
	if fv.Term() < term {
		c.fail(MatchHeld, "%s, which has not entered term %d (term %d)", who(), term, fv.Term())
		return
	}
	if last := fv.LastIndex(); last < match {
		c.fail(MatchHeld, "%s, whose log ends at %d", who(), last)
		return
	}
	if snap, _ := fv.Snapshot(); match <= snap {
		return // compacted: committed, so it agrees
	}
	want, ok := v.TermAt(match)
	got, _ := fv.TermAt(match)
	if ok && got != want {
		c.fail(MatchHeld, "%s, whose entry %d is of term %d, not %d", who(), match, got, want)
	}
}
