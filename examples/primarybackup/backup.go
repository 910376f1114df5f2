package primarybackup

import (
	"fmt"

	"github.com/orrery-sim/orrery/sim"
)

// heldMax bounds the entries a backup holds back waiting for a gap to fill.
const heldMax = 1024

// Backup applies the primary's entries in order, syncs them, and only then
// acknowledges; it serves reads from its state.
type Backup struct {
	primary sim.NodeID
	store
	held map[int]MsgReplicate // arrived ahead of a missing entry
}

// Start recovers what was synced and tells the primary how far it got.
func (b *Backup) Start(ctx *sim.Context) {
	b.store = load(ctx.Storage())
	b.held = map[int]MsgReplicate{}
	ctx.Send(b.primary, MsgAck{Upto: len(b.log)})
}

// Receive applies entries and answers reads.
func (b *Backup) Receive(ctx *sim.Context, from sim.NodeID, msg sim.Message) {
	switch m := msg.(type) {
	case MsgReplicate:
		b.replicate(ctx, m)
	case MsgGet:
		r := b.get(m.Key)
		r.Req = m.Req
		ctx.Send(from, r)
	default:
		panic(fmt.Sprintf("backup: unexpected %T", msg))
	}
}

func (b *Backup) replicate(ctx *sim.Context, m MsgReplicate) {
	if m.Seq > len(b.log)+1 && len(b.held) < heldMax {
		b.held[m.Seq] = m
	}
	next, ok := m, m.Seq == len(b.log)+1
	for ok {
		b.apply(next)
		b.persist(ctx.Storage(), next)
		delete(b.held, next.Seq)
		next, ok = b.held[len(b.log)+1]
	}
	ctx.Sync() // applied entries are durable before the acknowledgement leaves
	ctx.Send(b.primary, MsgAck{Upto: len(b.log)})
}

// Timer is unused: a backup only reacts.
func (b *Backup) Timer(*sim.Context, string) {}
