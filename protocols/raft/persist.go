package raft

import (
	"encoding/json"
	"strings"

	"github.com/orrery-sim/orrery/internal/assert"
	"github.com/orrery-sim/orrery/sim"
)

// Durable layout. The term and vote share one key so a crash can never keep
// one without the other; each entry has its own key, named by its index padded
// to fixed width so that sorted keys are log order.
const (
	keyHardState = "hardstate"
	keySnapshot  = "snapshot"
	keyLogPrefix = "log/"
	indexDigits  = 20
)

type hardState struct {
	Term uint64
	Vote sim.NodeID
}

func entryKey(i uint64) string {
	s := u(i)
	return keyLogPrefix + strings.Repeat("0", indexDigits-len(s)) + s
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	assert.That(err == nil, "encoding %T: %v", v, err)
	return b
}

// persistHardState writes term and vote. The vote-not-persisted bug writes a
// granted vote only in memory: the term reaches disk, the vote does not.
func (n *node) persistHardState(voteDurable bool) {
	hs := hardState{Term: n.term, Vote: n.vote}
	if !voteDurable {
		hs.Vote = none
	}
	n.ctx.Storage().Put(keyHardState, mustJSON(hs))
	n.dirty = true
}

// persistAppend writes entries that were just appended to the log.
func (n *node) persistAppend(es []Entry) {
	for _, e := range es {
		n.ctx.Storage().Put(entryKey(e.Index), mustJSON(e))
		n.markChanged(e.Index)
	}
	n.dirty = len(es) > 0 || n.dirty
}

// persistTruncate deletes entries from index from to old on disk, the last
// first: a crash between two deletes leaves a shorter log, never one with a
// hole.
func (n *node) persistTruncate(from, old uint64) {
	for i := old; i >= from && i > 0; i-- {
		n.ctx.Storage().Delete(entryKey(i))
	}
	n.markChanged(from)
	n.dirty = true
}

// persistSnapshot writes a snapshot, then deletes the entries it covers. In
// that order a crash leaves the snapshot and stale entries, which recovery
// ignores.
func (n *node) persistSnapshot(s Snapshot, oldFirst uint64) {
	n.ctx.Storage().Put(keySnapshot, mustJSON(s))
	for i := oldFirst; i <= s.Index; i++ {
		n.ctx.Storage().Delete(entryKey(i))
	}
	n.dirty = true
}

func (n *node) markChanged(i uint64) {
	if n.changedFrom == 0 || i < n.changedFrom {
		n.changedFrom = i
	}
}

// recover rebuilds the durable state: hard state, snapshot, then the entries
// that follow the snapshot without a gap. Anything else on disk is left over
// from an interrupted truncation or compaction and is deleted.
func (n *node) recover() {
	st := n.ctx.Storage()
	if b, ok := st.Get(keyHardState); ok {
		var hs hardState
		assert.That(json.Unmarshal(b, &hs) == nil, "decoding hard state")
		n.term, n.vote = hs.Term, hs.Vote
	}
	if b, ok := st.Get(keySnapshot); ok {
		assert.That(json.Unmarshal(b, &n.snap) == nil, "decoding snapshot")
		n.log.reset(n.snap.Index, n.snap.Term)
		n.kv = decodeKV(n.snap.Data)
	}
	for _, k := range st.Keys(keyLogPrefix) {
		var e Entry
		b, _ := st.Get(k)
		assert.That(json.Unmarshal(b, &e) == nil, "decoding %s", k)
		if e.Index != n.log.lastIndex()+1 || e.Term < n.log.lastTerm() {
			st.Delete(k)
			n.dirty = true
			continue
		}
		n.log.append(e)
	}
	n.commit, n.applied = n.log.snapIndex, n.log.snapIndex
	n.refreshConf()
	n.markChanged(n.log.firstIndex())
	assert.That(n.log.lastTerm() <= n.term, "recovered log ends in term %d after term %d", n.log.lastTerm(), n.term)
}
