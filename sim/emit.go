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

// hashUint folds a whole word into h (FNV-1a over 64-bit words, then a
// multiply-xorshift so that every input bit reaches every output bit).
func hashUint(h, v uint64) uint64 {
	h = (h ^ v) * fnvPrime
	return h ^ h>>29
}

func hashString(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	return h
}

// kindCode numbers the event kinds for the hash; the numbering is part of what a
// trace hash means.
func kindCode(k traces.Kind) uint64 {
	switch k {
	case traces.KindRecv:
		return 2
	case traces.KindTimer:
		return 3
	case traces.KindStart:
		return 1
	case traces.KindDrop:
		return 4
	case traces.KindCrash:
		return 5
	case traces.KindRestart:
		return 6
	case traces.KindPause:
		return 7
	case traces.KindResume:
		return 8
	case traces.KindFault:
		return 9
	case traces.KindInvoke:
		return 10
	case traces.KindReturn:
		return 11
	case traces.KindNote:
		return 12
	case traces.KindPhase:
		return 13
	}
	return 14 // KindFail
}

// Hash is the trace hash so far.
func (w *World) Hash() uint64 { return w.hash }

func (w *World) step(kind traces.Kind, node, peer NodeID, typeHash uint64) {
	w.seq++
	// The failure that reports a run past the bound is one event more.
	if w.seq > w.limits.EventsMax && w.result == nil {
		assert.Fail("more than %d events in one run", w.limits.EventsMax)
	}
	h := hashUint(w.hash, w.seq)
	h = hashUint(h, uint64(w.now))
	h = hashUint(h, kindCode(kind)<<48|uint64(uint32(node))<<16|uint64(uint16(peer)))
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

// flush queues e behind the events of this step. The choices drawn since the
// last event belong to it (its handler drew them), so they are attached first.
func (w *World) flush(e *traces.Event) {
	w.attachChoices()
	w.pending = append(w.pending, e)
}

func (w *World) attachChoices() {
	if len(w.choices) == 0 || len(w.pending) == 0 {
		return
	}
	last := w.pending[len(w.pending)-1]
	last.Choices = make([]string, len(w.choices))
	for i, c := range w.choices {
		last.Choices[i] = traces.EncodeChoice(c)
	}
	w.choices = w.choices[:0]
}

// FlushTrace hands the events of the step to the trace sink. The world calls
// it after each step, once the handler's summary is known; callers that drive
// the world by hand call it before reading a trace.
func (w *World) FlushTrace() {
	w.attachChoices()
	pending := w.pending
	w.pending = w.pending[:0]
	for i, e := range pending {
		pending[i] = nil
		w.release(e)
	}
}

// summarize records the agent's summary on its handler's event when it
// changed (tracing only: summaries never reach the trace hash).
func (w *World) summarize(n *node) {
	s, ok := n.agent.(Summarizer)
	if !ok || w.sink == nil {
		return
	}
	w.running = n.id // a panicking Summary is the agent's, not the engine's
	text := s.Summary()
	w.running = runningEngine
	if text == n.summary {
		return
	}
	n.summary = text
	for _, e := range w.pending {
		if e.Node == n.name && (e.Kind == traces.KindStart || e.Kind == traces.KindRecv || e.Kind == traces.KindTimer) {
			e.Summary = text
			return
		}
	}
}

func (w *World) release(e *traces.Event) {
	e.Desc = traces.Describe(e)
	w.inSink = true
	w.sink(e)
	w.inSink = false
}
