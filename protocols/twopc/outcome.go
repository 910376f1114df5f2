package twopc

import (
	"fmt"

	"github.com/orrery-sim/orrery/sim"
)

// PropOutcome is the client's side of two-phase commit: every outcome a
// client is told is the decision on record for its transaction. When the
// client hears it, the coordinator has decided that transaction that way
// (and logged it, the coordinator's contract; log-durable checks the
// logging), and no party ever decides it otherwise. A coordinator that
// answers from a timeout path, or before it has decided, tells a client
// something the participants may go on to contradict, which no check of
// the servers alone can see.
const PropOutcome = "client-outcome"

// clientSeq names a client's transaction: the client (sim.External for a
// request injected from outside) and its sequence number.
type clientSeq struct {
	client sim.NodeID
	seq    uint64
}

// outcomes follows the client history: which transaction each operation
// is, what each client was told, and the operations still open.
type outcomes struct {
	txnOf  map[clientSeq]TxnID   // the coordinator's transactions, from its begins
	told   map[TxnID]Decision    // what a client was told of each transaction
	seqs   map[sim.NodeID]uint64 // operations invoked per client
	keys   map[sim.OpID]clientSeq
	open   []sim.OpID // invoked, not yet returned
	cursor int        // history operations looked at
}

func newOutcomes() *outcomes {
	return &outcomes{txnOf: map[clientSeq]TxnID{}, told: map[TxnID]Decision{}, seqs: map[sim.NodeID]uint64{}, keys: map[sim.OpID]clientSeq{}}
}

// begun records a transaction the coordinator began for a client.
func (o *outcomes) begun(id TxnID, tx *coordTxn) {
	o.txnOf[clientSeq{client: tx.Client, seq: tx.Seq}] = id
}

// returned looks at the history's new operations and the ones that completed
// since the last event, and judges each outcome against the coordinator's
// decision as the tracker recorded it.
func (o *outcomes) returned(w *sim.World, t *tracker) {
	ops := w.History().Ops
	for ; o.cursor < len(ops); o.cursor++ {
		op := ops[o.cursor]
		key := clientSeq{client: op.Client, seq: uint64(op.ID) + 1} // a request's sequence number (coordinator.reply)
		if op.Client != sim.External {
			o.seqs[op.Client]++ // a client's transactions are numbered from 1, one per operation
			key.seq = o.seqs[op.Client]
		}
		o.keys[op.ID] = key
		o.open = append(o.open, op.ID)
	}
	kept := o.open[:0]
	for _, id := range o.open {
		if op := ops[id]; op.Done {
			o.judge(w, t, o.keys[id], op.Output)
			continue
		}
		kept = append(kept, id)
	}
	o.open = kept
}

func (o *outcomes) judge(w *sim.World, t *tracker, key clientSeq, output any) {
	d, ok := output.(Decision)
	who := fmt.Sprintf("%s's transaction #%d", w.Name(key.client), key.seq)
	id, begun := o.txnOf[key]
	switch {
	case !ok || (d != Commit && d != Abort):
		t.fail(PropOutcome, "%s returned %v, not commit or abort", who, output)
	case !begun:
		t.fail(PropOutcome, "%s was told %v, but the coordinator never began it", who, d)
	default:
		o.told[id] = d
		v := t.view(id)
		switch coord := v.commits&bit(coordinatorID) != 0; {
		case !coord && v.aborts&bit(coordinatorID) == 0:
			t.fail(PropOutcome, "%s (%v) was told %v before the coordinator decided it", who, id, d)
		case coord != (d == Commit):
			t.fail(PropOutcome, "%s (%v) was told %v, but the coordinator decided %v", who, id, d, other(d))
		}
	}
}

// decided checks a party's decision against what a client was told.
func (o *outcomes) decided(t *tracker, id TxnID, by sim.NodeID, d Decision) {
	if told, ok := o.told[id]; ok && told != d {
		t.fail(PropOutcome, "%v: a client was told %v, but %s decided %v", id, told, name(by), d)
	}
}

func other(d Decision) Decision {
	if d == Commit {
		return Abort
	}
	return Commit
}
