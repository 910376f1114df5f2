package twopc

import (
	"slices"

	"github.com/orrery-sim/orrery/internal/assert"
	"github.com/orrery-sim/orrery/sim"
)

// coordinator runs transactions. Its log holds one record per transaction
// (coordTxn's exported fields): written when the transaction begins and again
// when it is decided and when every participant has acknowledged, each synced
// before the messages that depend on it.
type coordinator struct {
	cfg      *config
	ctx      *sim.Context // set only while a handler runs
	last     TxnID        // the last transaction begun
	txns     map[TxnID]*coordTxn
	active   []TxnID // not yet acknowledged by every participant, ascending
	byClient map[sim.NodeID]clientTxn
	dirty    bool

	changed []TxnID // bookkeeping for checkers: begun or decided by this handler
}

// coordTxn is one transaction; the exported fields are its log record.
type coordTxn struct {
	Client       sim.NodeID
	Seq          uint64
	Participants []sim.NodeID
	Writes       []Write
	Decision     Decision
	Done         bool // every participant acknowledged the decision

	voted, yes, acks uint64   // bitmasks of participant ids
	deadline         sim.Time // local time at which an undecided vote gives up
	toldAbort        bool     // abort-reply-on-timeout: the client was told abort, undecided
}

// clientTxn is a client's latest transaction, so a retried begin is answered
// rather than run twice.
type clientTxn struct {
	seq uint64
	txn TxnID
}

// Start is also recovery: logged decisions are announced again; a
// transaction with no logged decision is aborted, since no participant can
// have learned a commit. The decision-changes-after-recovery bug re-decides
// every unfinished transaction, a logged commit included.
func (c *coordinator) Start(ctx *sim.Context) {
	c.handle(ctx, func() {
		c.recover()
		for _, t := range slices.Clone(c.active) {
			tx := c.txns[t]
			if tx.Decision == Undecided || c.cfg.bug == BugDecisionChanges {
				c.decide(t, Abort)
				continue
			}
			c.announce(t, tx)
		}
		if len(c.active) > 0 {
			ctx.SetTimer(timerTick, tickInterval)
		}
	})
}

// Receive implements sim.Agent.
func (c *coordinator) Receive(ctx *sim.Context, from sim.NodeID, m sim.Message) {
	c.handle(ctx, func() {
		switch m := m.(type) {
		case MsgBegin:
			c.onBegin(from, m.Seq, m.Txn)
		case sim.Request:
			txn, ok := m.Payload.(Txn)
			assert.That(ok, "twopc: request payload %T is not a Txn", m.Payload)
			c.onBegin(sim.External, uint64(m.ID)+1, txn)
		case MsgVote:
			c.onVote(from, m)
		case MsgAck:
			c.onAck(from, m.Txn)
		case MsgDecisionRequest:
			if tx := c.txns[m.Txn]; tx != nil && tx.Decision != Undecided {
				ctx.Send(from, decisionMsg(m.Txn, tx.Decision))
			}
		}
	})
}

// Timer implements sim.Agent.
func (c *coordinator) Timer(ctx *sim.Context, name string) {
	c.handle(ctx, func() {
		assert.That(name == timerTick, "twopc: coordinator timer %q", name)
		c.tick()
		if len(c.active) > 0 {
			ctx.SetTimer(timerTick, tickInterval)
		}
	})
}

func (c *coordinator) handle(ctx *sim.Context, fn func()) {
	c.ctx, c.changed = ctx, c.changed[:0]
	fn()
	if c.dirty {
		ctx.Sync()
		c.dirty = false
	}
	c.ctx = nil
}

// onBegin logs a new transaction, then asks each participant to vote on its
// part of the writes.
func (c *coordinator) onBegin(client sim.NodeID, seq uint64, txn Txn) {
	if last, ok := c.byClient[client]; ok && client != sim.External && seq <= last.seq {
		if tx := c.txns[last.txn]; seq == last.seq && tx.Decision != Undecided {
			c.reply(tx, tx.Decision)
		}
		return
	}
	c.last++
	t := c.last
	tx := &coordTxn{Client: client, Seq: seq, Participants: owners(txn.Writes), Writes: txn.Writes}
	assert.That(len(tx.Participants) > 0, "twopc: transaction %v writes nothing", txn)
	if len(c.active) == 0 {
		c.ctx.SetTimer(timerTick, tickInterval) // ticks only while a transaction is unfinished
	}
	c.txns[t], c.active = tx, append(c.active, t)
	c.byClient[client] = clientTxn{seq: seq, txn: t}
	c.persist(t, tx)
	c.changed = append(c.changed, t)
	tx.deadline = c.ctx.Now() + voteTimeout
	for _, p := range tx.Participants {
		c.requestVote(t, tx, p)
	}
}

func (c *coordinator) requestVote(t TxnID, tx *coordTxn, p sim.NodeID) {
	c.ctx.Send(p, MsgVoteRequest{Txn: t, Writes: writesOf(tx.Writes, p), Participants: tx.Participants})
}

// onVote decides abort on the first no and commit on the last yes.
func (c *coordinator) onVote(from sim.NodeID, m MsgVote) {
	tx := c.txns[m.Txn]
	if tx == nil || tx.Decision != Undecided || !slices.Contains(tx.Participants, from) {
		return // a late vote: the decision is announced to every participant
	}
	tx.voted |= bit(from)
	if !m.Yes {
		c.decide(m.Txn, Abort)
		return
	}
	tx.yes |= bit(from)
	if tx.yes == mask(tx.Participants) {
		c.decide(m.Txn, Commit)
	}
}

// decide logs the decision, then announces it.
func (c *coordinator) decide(t TxnID, d Decision) {
	tx := c.txns[t]
	tx.Decision, tx.acks = d, 0
	c.persist(t, tx)
	c.changed = append(c.changed, t)
	c.announce(t, tx)
	c.reply(tx, d)
}

func (c *coordinator) announce(t TxnID, tx *coordTxn) {
	for _, p := range tx.Participants {
		if tx.acks&bit(p) == 0 {
			c.ctx.Send(p, decisionMsg(t, tx.Decision))
		}
	}
}

func (c *coordinator) reply(tx *coordTxn, d Decision) {
	switch tx.Client {
	case sim.External:
		c.ctx.Return(sim.OpID(tx.Seq-1), d)
	default:
		c.ctx.Send(tx.Client, MsgOutcome{Seq: tx.Seq, Decision: d})
	}
}

func (c *coordinator) onAck(from sim.NodeID, t TxnID) {
	tx := c.txns[t]
	if tx == nil || tx.Decision == Undecided || tx.Done {
		return
	}
	tx.acks |= bit(from)
	if tx.acks&mask(tx.Participants) != mask(tx.Participants) {
		return
	}
	tx.Done = true
	c.persist(t, tx)
	c.active = slices.DeleteFunc(c.active, func(a TxnID) bool { return a == t })
}

// tick gives up on votes that took too long (abort: the coordinator may
// abort until it has decided) and re-sends what is unanswered. The
// commit-without-all-votes bug commits on the timeout unless someone said no;
// the abort-reply-on-timeout bug answers the client abort on the timeout but
// gives the votes one more timeout, undecided.
func (c *coordinator) tick() {
	now := c.ctx.Now()
	for _, t := range slices.Clone(c.active) {
		tx := c.txns[t]
		switch {
		case tx.Decision != Undecided:
			c.announce(t, tx)
		case now >= tx.deadline && c.cfg.bug == BugCommitWithoutVotes && tx.voted == tx.yes:
			c.decide(t, Commit)
		case now >= tx.deadline && c.cfg.bug == BugAbortReplyOnTimeout && !tx.toldAbort:
			c.reply(tx, Abort)
			tx.toldAbort, tx.deadline = true, now+voteTimeout
		case now >= tx.deadline:
			c.decide(t, Abort)
		default:
			for _, p := range tx.Participants {
				if tx.voted&bit(p) == 0 {
					c.requestVote(t, tx, p)
				}
			}
		}
	}
}

// owners lists the participants that own the written keys, ascending.
func owners(ws []Write) []sim.NodeID {
	var ps []sim.NodeID
	for _, w := range ws {
		p, ok := Owner(w.Key)
		assert.That(ok, "twopc: key %q has no owner", w.Key)
		if !slices.Contains(ps, p) {
			ps = append(ps, p)
		}
	}
	slices.Sort(ps)
	return ps
}

func writesOf(ws []Write, p sim.NodeID) []Write {
	var out []Write
	for _, w := range ws {
		if o, _ := Owner(w.Key); o == p {
			out = append(out, w)
		}
	}
	return out
}

func bit(id sim.NodeID) uint64 { return 1 << uint(id) }

func mask(ids []sim.NodeID) uint64 {
	var m uint64
	for _, id := range ids {
		m |= bit(id)
	}
	return m
}
