package viz

import (
	"encoding/json"
	"io"

	"github.com/orrery-sim/orrery/traces"
)

// traceEvent is one entry of the Chrome trace-event format (the JSON that
// Perfetto and chrome://tracing read). Times are microseconds.
type traceEvent struct {
	Name  string         `json:"name"`
	Cat   string         `json:"cat,omitempty"`
	Ph    string         `json:"ph"`
	Ts    float64        `json:"ts"`
	Dur   *float64       `json:"dur,omitempty"`
	Pid   int            `json:"pid"`
	Tid   int            `json:"tid"`
	ID    *uint64        `json:"id,omitempty"`
	BP    string         `json:"bp,omitempty"`
	Scope string         `json:"s,omitempty"`
	Args  map[string]any `json:"args,omitempty"`
}

type perfettoFile struct {
	TraceEvents     []traceEvent `json:"traceEvents"`
	DisplayTimeUnit string       `json:"displayTimeUnit"`
}

// sliceMicros is the drawn length of a handler. Handlers take no virtual time;
// a slice of one microsecond stays visible, and later slices on a track start
// no earlier than the previous one ends, so slices never overlap (they would
// nest wrongly), at a cost of at most a few microseconds of drift.
const sliceMicros = 1.0

// WritePerfetto writes t as Chrome trace-event JSON: process 1 with one thread
// (track) per node; a complete slice per start, recv and timer; a flow from
// the sending handler to each delivery; an async slice per client operation;
// global instants for faults, crashes, the liveness phase and the violation.
func WritePerfetto(w io.Writer, t *traces.Trace) error {
	m := Analyze(t)
	tid := map[string]int{}
	f := perfettoFile{DisplayTimeUnit: "ns", TraceEvents: []traceEvent{
		{Name: "process_name", Ph: "M", Pid: 1, Args: map[string]any{"name": m.Protocol + " seed " + u64(m.Seed)}}}}
	for i, n := range m.Nodes {
		tid[n] = i + 1
		f.TraceEvents = append(f.TraceEvents, traceEvent{Name: "thread_name", Ph: "M", Pid: 1, Tid: i + 1, Args: map[string]any{"name": n}},
			traceEvent{Name: "thread_sort_index", Ph: "M", Pid: 1, Tid: i + 1, Args: map[string]any{"sort_index": i}})
	}
	ts := make([]float64, len(m.Events)) // drawn start of each event
	end := map[string]float64{}
	for i := range m.Events {
		e := &m.Events[i]
		ts[i] = float64(e.Time) / 1e3
		if e.Node != "" {
			ts[i] = max(ts[i], end[e.Node])
			end[e.Node] = ts[i] + sliceMicros
		}
		f.TraceEvents = append(f.TraceEvents, eventEntry(e, ts[i], tid[e.Node]))
	}
	for k, a := range m.Arrows {
		if a.From < 0 || a.Drop {
			continue
		}
		id := uint64(k + 1)
		from, to := &m.Events[a.From], &m.Events[a.To]
		f.TraceEvents = append(f.TraceEvents,
			traceEvent{Name: a.Type, Cat: "msg", Ph: "s", Ts: ts[a.From], Pid: 1, Tid: tid[from.Node], ID: &id},
			traceEvent{Name: a.Type, Cat: "msg", Ph: "f", BP: "e", Ts: ts[a.To], Pid: 1, Tid: tid[to.Node], ID: &id})
	}
	for k, op := range m.Ops {
		id := uint64(k + 1)
		endTs := ts[len(ts)-1] + sliceMicros
		if op.To >= 0 {
			endTs = ts[op.To]
		}
		f.TraceEvents = append(f.TraceEvents,
			traceEvent{Name: op.Text, Cat: "op", Ph: "b", Ts: ts[op.From], Pid: 1, Tid: tid[op.Client], ID: &id},
			traceEvent{Name: op.Text, Cat: "op", Ph: "e", Ts: endTs, Pid: 1, Tid: tid[op.Client], ID: &id})
	}
	enc := json.NewEncoder(w)
	return enc.Encode(f)
}

// eventEntry is the slice of a handler event, or an instant for the rest.
func eventEntry(e *traces.Event, ts float64, tid int) traceEvent {
	args := map[string]any{"seq": e.Seq, "desc": e.Desc}
	if e.Text != "" {
		args["text"] = e.Text
	}
	if e.Summary != "" {
		args["summary"] = e.Summary // the node's state after this handler
	}
	switch e.Kind {
	case traces.KindStart, traces.KindRecv, traces.KindTimer:
		dur := sliceMicros
		name := string(e.Kind)
		if e.Type != "" {
			name += " " + e.Type
		}
		return traceEvent{Name: name, Cat: string(e.Kind), Ph: "X", Ts: ts, Dur: &dur, Pid: 1, Tid: tid, Args: args}
	}
	if tid == 0 { // faults, crashes, phases, the violation: visible on every track
		return traceEvent{Name: string(e.Kind) + " " + e.Type, Cat: string(e.Kind), Ph: "i", Ts: ts, Pid: 1, Scope: "g", Args: args}
	}
	return traceEvent{Name: string(e.Kind) + " " + e.Type, Cat: string(e.Kind), Ph: "i", Ts: ts, Pid: 1, Tid: tid, Scope: "t", Args: args}
}

func u64(v uint64) string {
	b, _ := json.Marshal(v)
	return string(b)
}
