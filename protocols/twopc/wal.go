package twopc

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/orrery-sim/orrery/internal/assert"
	"github.com/orrery-sim/orrery/sim"
)

// Durable layout: a transaction's record under its id, padded to a fixed
// width so that sorted keys are transaction order; a participant's committed
// values under their keys.
const (
	keyTxnPfx  = "txn/"
	keyDataPfx = "kv/"
	txnDigits  = 20
)

func txnKey(t TxnID) string {
	s := strconv.FormatUint(uint64(t), 10)
	return keyTxnPfx + strings.Repeat("0", txnDigits-len(s)) + s
}

func txnOfKey(k string) TxnID {
	v, err := strconv.ParseUint(strings.TrimPrefix(k, keyTxnPfx), 10, 64)
	assert.That(err == nil && txnKey(TxnID(v)) == k, "twopc: log key %q", k)
	return TxnID(v)
}

func encode(v any) []byte {
	b, err := json.Marshal(v)
	assert.That(err == nil, "twopc: encoding %T: %v", v, err)
	return b
}

func decode(st *sim.Storage, k string, v any) {
	b, _ := st.Get(k)
	err := json.Unmarshal(b, v)
	assert.That(err == nil, "twopc: decoding %s: %v", k, err)
}

func (c *coordinator) persist(t TxnID, tx *coordTxn) {
	c.ctx.Storage().Put(txnKey(t), encode(tx))
	c.dirty = true
}

// recover reads the coordinator's log back: every transaction, which ones are
// unfinished, and each client's latest.
func (c *coordinator) recover() {
	st := c.ctx.Storage()
	c.txns, c.byClient, c.active, c.last = map[TxnID]*coordTxn{}, map[sim.NodeID]clientTxn{}, nil, 0
	for _, k := range st.Keys(keyTxnPfx) {
		t := txnOfKey(k)
		tx := &coordTxn{}
		decode(st, k, tx)
		c.txns[t], c.last = tx, max(c.last, t)
		if !tx.Done {
			c.active = append(c.active, t)
		}
		if last, ok := c.byClient[tx.Client]; !ok || tx.Seq > last.seq {
			c.byClient[tx.Client] = clientTxn{seq: tx.Seq, txn: t}
		}
	}
}

func (p *participant) persist(t TxnID, tx *partTxn) {
	p.ctx.Storage().Put(txnKey(t), encode(tx))
	p.dirty = true
}

// recover reads the participant's log and values back and takes the locks of
// prepared transactions again.
func (p *participant) recover() {
	st := p.ctx.Storage()
	p.txns, p.data, p.locks, p.prepared = map[TxnID]*partTxn{}, map[string]string{}, map[string]TxnID{}, nil
	for _, k := range st.Keys(keyTxnPfx) {
		t := txnOfKey(k)
		tx := &partTxn{}
		decode(st, k, tx)
		p.txns[t] = tx
		if tx.State == statePrepared {
			tx.askAt = p.ctx.Now()
			p.lock(t, tx)
		}
	}
	for _, k := range st.Keys(keyDataPfx) {
		v, _ := st.Get(k)
		p.data[strings.TrimPrefix(k, keyDataPfx)] = string(v)
	}
}
