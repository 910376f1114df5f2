package sim

import (
	"github.com/orrery-sim/orrery/internal/assert"
	"github.com/orrery-sim/orrery/traces"
)

// FNV-1a, 64 bits: the trace hash. It covers every event's sequence number, time,
// kind, node, peer and type name (message type, timer name, action label), so two
// runs with the same hash took the same steps. Payload text is covered by the
// trace file itself, which determinism tests compare byte for byte.
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func hashUint(h, v uint64) uint64 {
	for i := 0; i < 8; i++ {
		h ^= v & 0xff
		h *= fnvPrime
		v >>= 8
	}
	return h
}

func hashString(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	return h
}

var kindCodes = map[traces.Kind]uint64{
	traces.KindStart: 1, traces.KindRecv: 2, traces.KindTimer: 3, traces.KindDrop: 4,
	traces.KindCrash: 5, traces.KindRestart: 6, traces.KindPause: 7, traces.KindResume: 8,
	traces.KindFault: 9, traces.KindInvoke: 10, traces.KindReturn: 11, traces.KindNote: 12,
	traces.KindPhase: 13, traces.KindFail: 14,
}

// Hash is the trace hash so far.
func (w *World) Hash() uint64 { return w.hash }

func (w *World) step(kind traces.Kind, node, peer NodeID, typeHash uint64) {
	w.seq++
	assert.That(w.seq <= w.limits.EventsMax, "more than %d events in one run", w.limits.EventsMax)
	h := hashUint(w.hash, w.seq)
	h = hashUint(h, uint64(w.now))
	h = hashUint(h, kindCodes[kind]<<48|uint64(uint32(node))<<16|uint64(uint16(peer)))
	w.hash = hashUint(h, typeHash)
}

// emit records an event. The payload is rendered only when tracing.
func (w *World) emit(kind traces.Kind, node, peer NodeID, typ string, payload any) {
	w.step(kind, node, peer, hashString(fnvOffset, typ))
	if w.sink == nil {
		return
	}
	e := w.newEvent(kind, node, peer, typ)
	if payload != nil {
		if s, ok := payload.(string); ok && kind != traces.KindInvoke && kind != traces.KindReturn {
			e.Text = s
		} else {
			e.Text = Describe(payload)
		}
	}
	w.flush(e)
}

func (w *World) emitMessage(kind traces.Kind, node, from NodeID, msgID uint64, sentAt Time, msg Message, why string) {
	tn := w.typeOf(msg)
	w.step(kind, node, from, tn.hash)
	if w.sink == nil {
		return
	}
	e := w.newEvent(kind, node, from, tn.name)
	e.Msg, e.SentAt = msgID, int64(sentAt)
	e.Text = Describe(msg)
	if why != "" {
		e.Text = why
		if kind == traces.KindDrop {
			e.Type = tn.name
		}
	}
	w.flush(e)
}

func (w *World) newEvent(kind traces.Kind, node, peer NodeID, typ string) *traces.Event {
	e := &traces.Event{Seq: w.seq, Time: int64(w.now), Kind: kind, Type: typ}
	if node != External {
		e.Node = w.nodes[node].name
	}
	if peer != External {
		e.Peer = w.nodes[peer].name
	}
	return e
}

// flush passes the held event to the sink with the choices drawn while it was
// held (by its own handler), and holds e in its place.
func (w *World) flush(e *traces.Event) {
	if h := w.held; h != nil {
		w.held = nil
		w.release(h)
	}
	w.held = e
}

// FlushTrace hands the last held event to the trace sink. The world calls it after
// each step; callers that drive the world by hand call it before reading a trace.
func (w *World) FlushTrace() {
	if h := w.held; h != nil {
		w.held = nil
		w.release(h)
	}
}

func (w *World) release(e *traces.Event) {
	if len(w.choices) > 0 {
		e.Choices = make([]string, len(w.choices))
		for i, c := range w.choices {
			e.Choices[i] = traces.EncodeChoice(c)
		}
		w.choices = w.choices[:0]
	}
	e.Desc = traces.Describe(e)
	w.sink(e)
}
