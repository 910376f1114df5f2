package paxos

import (
	"encoding/json"
	"strings"

	"github.com/orrery-sim/orrery/internal/assert"
)

// Durable layout: the promised ballot under one key; each accepted value and
// each decided value under its own key, named by its slot padded to a fixed
// width so that sorted keys are slot order.
const (
	keyPromised    = "promised"
	keyAcceptedPfx = "acc/"
	keyDecidedPfx  = "dec/"
	slotDigits     = 20
)

func slotKey(prefix string, slot uint64) string {
	s := u(slot)
	return prefix + strings.Repeat("0", slotDigits-len(s)) + s
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	assert.That(err == nil, "paxos: encoding %T: %v", v, err)
	return b
}

func mustUnJSON(b []byte, v any) {
	err := json.Unmarshal(b, v)
	assert.That(err == nil, "paxos: decoding %T: %v", v, err)
}

func (n *node) persistPromised() {
	n.ctx.Storage().Put(keyPromised, mustJSON(n.promised))
	n.dirty = n.dirty || !n.bug(BugPromiseNotSynced)
}

func (n *node) persistAccepted(a Accepted) {
	n.ctx.Storage().Put(slotKey(keyAcceptedPfx, a.Slot), mustJSON(a))
	n.dirty = true
}

func (n *node) persistDecided(slot uint64, c Command) {
	n.ctx.Storage().Put(slotKey(keyDecidedPfx, slot), mustJSON(c))
	n.dirty = true
}

// recover reads back what the persist functions wrote; Start replays it.
func (n *node) recover() {
	st := n.ctx.Storage()
	n.accepted, n.decided, n.kv = map[uint64]Accepted{}, map[uint64]Command{}, newKV()
	n.applied, n.lastDecided = 0, 0
	if b, ok := st.Get(keyPromised); ok {
		mustUnJSON(b, &n.promised)
	}
	n.highest = n.promised
	for _, k := range st.Keys(keyAcceptedPfx) {
		b, _ := st.Get(k)
		var a Accepted
		mustUnJSON(b, &a)
		assert.That(slotKey(keyAcceptedPfx, a.Slot) == k, "paxos: %s holds slot %d", k, a.Slot)
		n.accepted[a.Slot] = a
	}
	for _, k := range st.Keys(keyDecidedPfx) {
		b, _ := st.Get(k)
		var c Command
		mustUnJSON(b, &c)
		slot := parseSlot(k[len(keyDecidedPfx):])
		n.decided[slot] = c
		n.lastDecided = max(n.lastDecided, slot)
	}
}

func parseSlot(digits string) uint64 {
	assert.That(len(digits) == slotDigits, "paxos: slot key %q", digits)
	var s uint64
	for _, d := range digits {
		assert.That(d >= '0' && d <= '9', "paxos: slot key %q", digits)
		s = s*10 + uint64(d-'0')
	}
	return s
}
