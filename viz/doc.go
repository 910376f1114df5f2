// Package viz renders a trace for people and for standard tools.
//
// WriteHTML writes one self-contained HTML file (inline CSS, script and SVG; no
// network access): a space-time diagram with one lane per node, message arrows
// from the handler that sent each message to its delivery (or drop), labelled
// with the message and coloured by its type, a state track per node drawn
// from the agents' summaries (sim.Summarizer) with marks where a node becomes
// leader or its term changes, timers,
// crashes, pauses and network faults as shaded spans, client operations as
// intervals, and the violation highlighted and explained; the page filters by
// node and message kind, zooms, switches between event order and virtual time,
// and shows an event's full content on click. Trace content reaches the page
// only as JSON inside a script element, escaped by html/template, and the
// script inserts it as text (never as markup), so a payload cannot inject
// markup or script.
//
// WritePerfetto writes the Chrome trace-event JSON that Perfetto and
// chrome://tracing open: one track per node, a slice per handler, flow arrows
// for messages, async slices for client operations, instants for faults.
//
// WriteMermaid writes a Mermaid sequence diagram for issues and docs: the
// causal slice of a violation (with, for a linearizability failure, the
// operations its explanation names), or the whole run.
//
// All work from a traces.Trace alone; Analyze is the model they share.
package viz
