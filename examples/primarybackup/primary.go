package primarybackup

import (
	"fmt"
	"slices"

	"github.com/orrery-sim/orrery/sim"
)

// Primary timing and limits.
const (
	resendInterval = 50 * sim.Millisecond
	resendMax      = 16 // entries re-sent to one lagging backup per interval
)

// Primary orders writes: it logs each, syncs, sends it to every backup, and
// replies to the client once every backup has acknowledged it. It serves reads
// from its own state. It never fails over: while it is down, writes wait.
type Primary struct {
	backups []sim.NodeID
	bug     string
	store
	acked   []int          // per backup: entries it acknowledged
	waiting map[int]waiter // by Seq: the client to answer
}

type waiter struct {
	client sim.NodeID
	req    int
}

// Start recovers the log; writes that were waiting for acknowledgements are
// answered by no one, and their clients time out.
func (p *Primary) Start(ctx *sim.Context) {
	p.store = load(ctx.Storage())
	p.acked = make([]int, len(p.backups))
	p.waiting = map[int]waiter{}
	ctx.SetTimer("resend", resendInterval)
}

// Receive handles client requests and backups' acknowledgements.
func (p *Primary) Receive(ctx *sim.Context, from sim.NodeID, msg sim.Message) {
	switch m := msg.(type) {
	case MsgPut:
		p.put(ctx, from, m)
	case MsgGet:
		r := p.get(m.Key)
		r.Req = m.Req
		ctx.Send(from, r)
	case MsgAck:
		if i := slices.Index(p.backups, from); i >= 0 && m.Upto > p.acked[i] {
			p.acked[i] = m.Upto
			p.answer(ctx)
		}
	default:
		panic(fmt.Sprintf("primary: unexpected %T", msg))
	}
}

func (p *Primary) put(ctx *sim.Context, client sim.NodeID, m MsgPut) {
	e := MsgReplicate{Seq: len(p.log) + 1, Key: m.Key, Value: m.Value}
	p.apply(e)
	p.persist(ctx.Storage(), e)
	ctx.Sync() // durable before anyone hears of it
	for _, b := range p.backups {
		ctx.Send(b, e)
	}
	if p.bug == BugEarlyAck {
		// The bug: the client hears "done" while the backups may not have the
		// write yet, so a read from a backup can miss it.
		ctx.Send(client, MsgReply{Req: m.Req, Wrote: true})
		return
	}
	p.waiting[e.Seq] = waiter{client: client, req: m.Req}
	p.answer(ctx) // with no backups, at once
}

// answer replies for every write that all backups have acknowledged.
func (p *Primary) answer(ctx *sim.Context) {
	everywhere := len(p.log)
	for _, a := range p.acked {
		everywhere = min(everywhere, a)
	}
	for seq := 1; seq <= everywhere; seq++ {
		if w, ok := p.waiting[seq]; ok {
			delete(p.waiting, seq)
			ctx.Send(w.client, MsgReply{Req: w.req, Wrote: true})
		}
	}
}

// Timer re-sends unacknowledged entries: messages may be lost or arrive while a
// backup is down.
func (p *Primary) Timer(ctx *sim.Context, name string) {
	for i, b := range p.backups {
		for seq := p.acked[i] + 1; seq <= min(len(p.log), p.acked[i]+resendMax); seq++ {
			ctx.Send(b, p.log[seq-1])
		}
	}
	ctx.SetTimer("resend", resendInterval)
}
