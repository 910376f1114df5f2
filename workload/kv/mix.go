package kv

import (
	"strconv"

	"github.com/orrery-sim/orrery/sim"
)

// Keys is the small key set the standard mix draws from, so clients contend.
var Keys = [...]string{"a", "b", "c"}

// appendsPerKeyMax bounds the appends a client makes to one key before the
// mix deletes it instead, so values stay short.
const appendsPerKeyMax = 64

// Mix is the standard workload over Op: mostly reads and puts, some of
// every other kind (appends and cas included: operations whose duplicate
// application shows). Values are "<client id>.<seq>", unique to the
// operation; an append adds the token "+<client id>.<seq>", so a value read
// shows every append that took effect, once each (exactly-once). A cas expects the
// value the client last saw, so it has a fair chance to succeed. Each client
// needs its own Mix (it remembers what it saw).
func Mix() Workload[Op] {
	m := &mix{}
	return Workload[Op]{Next: m.next, Observe: m.observe, Probe: m.probe}
}

type mix struct {
	seen    [len(Keys)]string // last value this client saw per key, for cas
	appends [len(Keys)]int
}

func value(ctx *sim.Context, seq uint64) string {
	return strconv.Itoa(int(ctx.Self())) + "." + strconv.FormatUint(seq, 10)
}

func (m *mix) next(ctx *sim.Context, seq uint64) Op {
	k := int(ctx.Rand(uint64(len(Keys))))
	key := Keys[k]
	switch d := ctx.Rand(100); {
	case d < 25:
		return Op{Kind: Get, Key: key}
	case d < 45:
		return Op{Kind: Put, Key: key, Value: value(ctx, seq)}
	case d < 60 && m.appends[k] < appendsPerKeyMax:
		m.appends[k]++
		return Op{Kind: Append, Key: key, Value: TokenStart + value(ctx, seq)}
	case d < 60:
		m.appends[k] = 0
		return Op{Kind: Delete, Key: key}
	case d < 72:
		return Op{Kind: CAS, Key: key, Expect: m.seen[k], Value: value(ctx, seq)}
	case d < 82:
		return Op{Kind: Delete, Key: key}
	case d < 91:
		return Op{Kind: Exists, Key: key}
	}
	return Op{Kind: Count}
}

// probe is the liveness-phase write of a client that used up its operations.
func (m *mix) probe(ctx *sim.Context, seq uint64) Op {
	return Op{Kind: Put, Key: Keys[0], Value: value(ctx, seq)}
}

// observe remembers what the key held, so a later cas has a fair chance.
func (m *mix) observe(op Op, result any) {
	r, _ := result.(Result)
	k := -1
	for i, key := range Keys {
		if key == op.Key {
			k = i
		}
	}
	switch {
	case k < 0:
	case op.Kind == Get && r.Found:
		m.seen[k] = r.Value
	case op.Kind == Put || (op.Kind == CAS && r.OK):
		m.seen[k] = op.Value
	}
}
