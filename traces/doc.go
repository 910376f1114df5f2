// Package traces defines what a run leaves behind: its events, their one-line
// Describe rendering (the same text in logs, golden files, failure reports and the
// HTML view), and the trace file. A trace file is JSON Lines: a header with the
// format version, protocol, seed, full config and every derived option; one line per
// event; a footer with the verdict and the trace hash. Nothing in it depends on the
// machine or the wall clock, so the same seed gives a byte-identical file.
package traces
