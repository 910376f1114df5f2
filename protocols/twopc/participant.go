package twopc

import (
	"slices"

	"github.com/orrery-sim/orrery/internal/assert"
	"github.com/orrery-sim/orrery/sim"
)

// participant owns some keys. Its log holds one record per transaction it
// voted on or learned the outcome of (partTxn's exported fields) and the
// committed value of each key; a yes vote is logged with its writes before it
// is sent, so a participant that restarts still holds the locks and can
// commit.
type participant struct {
	cfg      *config
	ctx      *sim.Context // set only while a handler runs
	txns     map[TxnID]*partTxn
	data     map[string]string
	locks    map[string]TxnID // keys held by prepared transactions
	prepared []TxnID          // voted yes, outcome unknown; ascending
	dirty    bool

	changed []TxnID // bookkeeping for checkers: transactions this handler touched
}

// partState is where a participant is in one transaction.
type partState uint8

const (
	statePrepared  partState = iota + 1 // voted yes, waiting for the decision
	stateCommitted                      // committed (so it voted yes)
	stateAborted                        // voted no, or learned abort, or aborted unilaterally
)

var stateNames = [...]string{"", "prepared", "committed", "aborted"}

func (s partState) String() string { return stateNames[s] }

// partTxn is one transaction at a participant; the exported fields are its
// log record.
type partTxn struct {
	State        partState
	Writes       []Write
	Participants []sim.NodeID

	askAt sim.Time // when a prepared participant next asks for the decision
}

// Start is also recovery: prepared transactions take their locks again and
// ask for their decision at once.
func (p *participant) Start(ctx *sim.Context) {
	p.handle(ctx, p.recover)
}

// Receive implements sim.Agent.
func (p *participant) Receive(ctx *sim.Context, from sim.NodeID, m sim.Message) {
	p.handle(ctx, func() {
		switch m := m.(type) {
		case MsgVoteRequest:
			p.onVoteRequest(from, m)
		case MsgCommit:
			p.onDecision(from, m.Txn, Commit)
		case MsgAbort:
			p.onDecision(from, m.Txn, Abort)
		case MsgDecisionRequest:
			p.onDecisionRequest(from, m.Txn)
		}
	})
}

// Timer implements sim.Agent.
func (p *participant) Timer(ctx *sim.Context, name string) {
	p.handle(ctx, func() {
		assert.That(name == timerTick, "twopc: participant timer %q", name)
		p.ask()
		if len(p.prepared) > 0 {
			ctx.SetTimer(timerTick, tickInterval)
		}
	})
}

func (p *participant) handle(ctx *sim.Context, fn func()) {
	p.ctx, p.changed = ctx, p.changed[:0]
	fn()
	if p.dirty {
		ctx.Sync()
		p.dirty = false
	}
	p.ctx = nil
}

// onVoteRequest votes yes unless a key is locked by another transaction or a
// random refusal (a constraint the participant checks) says no. A repeated
// request gets the vote already given.
func (p *participant) onVoteRequest(from sim.NodeID, m MsgVoteRequest) {
	if tx := p.txns[m.Txn]; tx != nil {
		p.ctx.Send(from, MsgVote{Txn: m.Txn, Yes: tx.State != stateAborted})
		return
	}
	yes := p.ctx.Rand(voteNoOneIn) != 0
	for _, w := range m.Writes {
		if _, locked := p.locks[w.Key]; locked {
			yes = false
		}
	}
	tx := &partTxn{State: stateAborted, Participants: m.Participants}
	if yes {
		tx.State, tx.Writes, tx.askAt = statePrepared, m.Writes, p.ctx.Now()+askAfter
		p.lock(m.Txn, tx)
	}
	p.txns[m.Txn] = tx
	p.changed = append(p.changed, m.Txn)
	if !yes || p.cfg.bug != BugForgetYesVote {
		p.persist(m.Txn, tx) // the forget-yes-vote bug keeps the vote in memory only
	}
	p.ctx.Send(from, MsgVote{Txn: m.Txn, Yes: yes})
}

// onDecision applies a decision from the coordinator or, in the termination
// protocol, from a peer. A decision on a transaction it holds no record of
// can only be abort: it never voted yes, so a commit means its writes are
// lost, and it aborts.
func (p *participant) onDecision(from sim.NodeID, t TxnID, d Decision) {
	tx := p.txns[t]
	switch {
	case tx == nil:
		if d == Commit {
			p.ctx.Logf("commit of %v, which this participant never prepared: aborted here", t)
		}
		tx = &partTxn{State: stateAborted}
		p.txns[t] = tx
		p.persist(t, tx)
		p.changed = append(p.changed, t)
	case tx.State == statePrepared:
		p.finish(t, tx, d)
	}
	if from == coordinatorID {
		p.ctx.Send(from, MsgAck{Txn: t})
	}
}

// finish commits (writing the values) or aborts a prepared transaction and
// releases its locks.
func (p *participant) finish(t TxnID, tx *partTxn, d Decision) {
	tx.State = stateAborted
	if d == Commit {
		tx.State = stateCommitted
		for _, w := range tx.Writes {
			p.data[w.Key] = w.Value
			p.ctx.Storage().Put(keyDataPfx+w.Key, []byte(w.Value))
		}
	}
	p.persist(t, tx)
	p.changed = append(p.changed, t)
	for _, w := range tx.Writes {
		delete(p.locks, w.Key)
	}
	p.prepared = slices.DeleteFunc(p.prepared, func(a TxnID) bool { return a == t })
}

// onDecisionRequest answers a peer in the termination protocol: with the
// decision if it has one; with abort if it never voted, after aborting
// unilaterally (durably, so it votes no if the request arrives later); not at
// all if it is itself prepared and uncertain.
func (p *participant) onDecisionRequest(from sim.NodeID, t TxnID) {
	tx := p.txns[t]
	if tx == nil {
		tx = &partTxn{State: stateAborted}
		p.txns[t] = tx
		p.persist(t, tx)
		p.changed = append(p.changed, t)
	}
	switch tx.State {
	case stateCommitted:
		p.ctx.Send(from, MsgCommit{Txn: t})
	case stateAborted:
		p.ctx.Send(from, MsgAbort{Txn: t})
	}
}

// ask: a prepared participant that has waited long enough asks the
// coordinator and every other participant for the decision.
func (p *participant) ask() {
	now := p.ctx.Now()
	for _, t := range p.prepared {
		tx := p.txns[t]
		if now < tx.askAt {
			continue
		}
		tx.askAt = now + askEvery
		p.ctx.Send(coordinatorID, MsgDecisionRequest{Txn: t})
		for _, q := range tx.Participants {
			if q != p.ctx.Self() {
				p.ctx.Send(q, MsgDecisionRequest{Txn: t})
			}
		}
	}
}

func (p *participant) lock(t TxnID, tx *partTxn) {
	for _, w := range tx.Writes {
		p.locks[w.Key] = t
	}
	if len(p.prepared) == 0 {
		p.ctx.SetTimer(timerTick, tickInterval) // ticks only while something is uncertain
	}
	i, _ := slices.BinarySearch(p.prepared, t)
	p.prepared = slices.Insert(p.prepared, i, t)
}
