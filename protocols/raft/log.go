package raft

import (
	"slices"
	"strconv"

	"github.com/orrery-sim/orrery/internal/assert"
	"github.com/orrery-sim/orrery/sim"
)

// Command is a client's write, tagged for exactly-once application.
type Command struct {
	Client sim.NodeID
	Seq    uint64
	Op     Op
}

// Entry is one log entry. A leader appends a no-op when it is elected so that
// it can commit an entry of its own term (and with it every earlier one).
type Entry struct {
	Index uint64
	Term  uint64
	Noop  bool    `json:",omitempty"`
	Cmd   Command `json:",omitzero"`
	// Conf, when set, makes the entry a configuration change: Conf is the
	// whole new configuration, in force wherever the entry is in the log.
	Conf *Membership `json:",omitempty"`
}

// Describe renders an entry as index/term and its command.
func (e Entry) Describe() string {
	s := strconv.FormatUint(e.Index, 10) + "/" + strconv.FormatUint(e.Term, 10)
	if e.Noop {
		return s + " noop"
	}
	if e.Conf != nil {
		return s + " conf " + e.Conf.Describe()
	}
	client := "ext"
	if e.Cmd.Client != sim.External {
		client = "c" + strconv.Itoa(int(e.Cmd.Client))
	}
	return s + " " + client + "#" + strconv.FormatUint(e.Cmd.Seq, 10) + " " + e.Cmd.Op.Describe()
}

// digest fingerprints an entry's content for the log-matching checker.
func (e Entry) digest() uint64 {
	h := hashUint(hashUint(fnvOffset, e.Index), e.Term)
	if e.Noop {
		return hashUint(h, 1)
	}
	if e.Conf != nil {
		return e.Conf.digest(hashUint(h, 2))
	}
	h = hashUint(hashUint(h, uint64(e.Cmd.Client)), e.Cmd.Seq)
	o := e.Cmd.Op
	return hashString(hashString(hashString(hashUint(h, uint64(o.Kind)), o.Key), o.Value), o.Expect)
}

// raftLog is the in-memory log: the entries after the last snapshot.
// entries[i] has index snapIndex+1+i.
type raftLog struct {
	snapIndex, snapTerm uint64
	entries             []Entry
}

func (l *raftLog) firstIndex() uint64 { return l.snapIndex + 1 }

func (l *raftLog) lastIndex() uint64 { return l.snapIndex + uint64(len(l.entries)) }

func (l *raftLog) lastTerm() uint64 {
	t, _ := l.term(l.lastIndex())
	return t
}

// term is the term of the entry at index i, known for the snapshot's last
// entry and every entry after it.
func (l *raftLog) term(i uint64) (uint64, bool) {
	switch {
	case i == l.snapIndex:
		return l.snapTerm, true
	case i < l.snapIndex || i > l.lastIndex():
		return 0, false
	}
	return l.entries[i-l.firstIndex()].Term, true
}

func (l *raftLog) matchTerm(i, term uint64) bool {
	t, ok := l.term(i)
	return ok && t == term
}

// entry returns the entry at index i, which must be in memory.
func (l *raftLog) entry(i uint64) *Entry {
	assert.That(i >= l.firstIndex() && i <= l.lastIndex(), "entry %d outside log [%d, %d]", i, l.firstIndex(), l.lastIndex())
	return &l.entries[i-l.firstIndex()]
}

// slice copies entries [lo, hi] (messages must not share the log's array).
func (l *raftLog) slice(lo, hi uint64) []Entry {
	if lo > hi {
		return nil
	}
	return slices.Clone(l.entries[lo-l.firstIndex() : hi-l.firstIndex()+1])
}

// truncateFrom drops every entry at index i and after.
func (l *raftLog) truncateFrom(i uint64) {
	assert.That(i > l.snapIndex, "truncating at %d inside the snapshot (%d)", i, l.snapIndex)
	if i <= l.lastIndex() {
		l.entries = l.entries[:i-l.firstIndex()]
	}
}

func (l *raftLog) append(es ...Entry) {
	for _, e := range es {
		assert.That(e.Index == l.lastIndex()+1, "appending entry %d after %d", e.Index, l.lastIndex())
		assert.That(e.Term >= l.lastTerm(), "appending entry %d of term %d after term %d", e.Index, e.Term, l.lastTerm())
		l.entries = append(l.entries, e)
	}
}

// compact drops the entries covered by a snapshot at index, keeping the rest.
func (l *raftLog) compact(index, term uint64) {
	assert.That(index > l.snapIndex && index <= l.lastIndex(), "compacting to %d outside (%d, %d]", index, l.snapIndex, l.lastIndex())
	l.entries = slices.Clone(l.entries[index-l.snapIndex:])
	l.snapIndex, l.snapTerm = index, term
}

// reset discards the whole log for a snapshot that does not match it.
func (l *raftLog) reset(index, term uint64) {
	l.entries, l.snapIndex, l.snapTerm = nil, index, term
}

// upToDate is the election restriction (§5.4.1): a log ending in (index, term)
// is at least as up-to-date as this one.
func (l *raftLog) upToDate(index, term uint64) bool {
	return term > l.lastTerm() || (term == l.lastTerm() && index >= l.lastIndex())
}

// firstIndexOfTerm walks back from i to the first entry of i's term, the
// follower's hint that lets a leader skip a whole term per round trip.
func (l *raftLog) firstIndexOfTerm(i uint64) uint64 {
	t, ok := l.term(i)
	assert.That(ok, "no term at %d", i)
	for i > l.firstIndex() {
		if pt, _ := l.term(i - 1); pt != t {
			break
		}
		i--
	}
	return i
}

// lastIndexOfTerm is the leader's side of the hint: its last entry of term t.
func (l *raftLog) lastIndexOfTerm(t uint64) (uint64, bool) {
	for i := l.lastIndex(); i >= l.firstIndex(); i-- {
		et, _ := l.term(i)
		if et == t {
			return i, true
		}
		if et < t {
			break
		}
	}
	return 0, false
}
