package sim

import (
	"github.com/orrery-sim/orrery/internal/assert"
	"github.com/orrery-sim/orrery/scheduler"
	"github.com/orrery-sim/orrery/traces"
)

// CrashMode says what happens to a crashing agent's unsynced writes.
type CrashMode uint8

// Crash modes.
const (
	LoseUnsynced CrashMode = iota // the default: unsynced writes are gone
	KeepUnsynced                  // the OS happened to flush everything
	TornWrites                    // a prefix of the unsynced writes survives, drawn by the scheduler
)

func (w *World) boxIndex(name string) int {
	b, ok := w.boxByID[name]
	assert.That(ok, "unknown box %q", name)
	return b
}

// Crash takes a box down: its agents lose volatile state and armed timers, queued
// events for them are discarded, messages to them are dropped until restart.
func (w *World) Crash(boxName string, mode CrashMode) {
	b := w.boxes[w.boxIndex(boxName)]
	if !b.up {
		return
	}
	b.up, b.paused, b.deferred = false, false, nil
	w.stats.Crashes++
	w.emit(traces.KindCrash, External, External, b.name, b.name)
	for _, id := range b.nodes {
		n := w.nodes[id]
		keep := 0
		switch mode {
		case KeepUnsynced:
			keep = n.storage.Unsynced()
		case TornWrites:
			keep = int(w.choose(scheduler.Torn, uint64(n.storage.Unsynced())+1))
		}
		n.storage.crash(keep)
		n.up, n.agent, n.timers, n.summary = false, nil, nil, ""
		n.incarnation++
	}
}

// Restart brings a crashed box back; its agents run Start on what survived.
func (w *World) Restart(boxName string) {
	b := w.boxes[w.boxIndex(boxName)]
	if b.up {
		return
	}
	b.up = true
	w.stats.Restarts++
	w.emit(traces.KindRestart, External, External, b.name, b.name)
	for _, id := range b.nodes {
		n := w.nodes[id]
		n.up = true
		w.schedule(w.now, event{kind: evStart, node: id, from: External, inc: n.incarnation})
	}
}

// Pause stops a box from handling events; they queue until Resume, like a long
// garbage-collection pause. Its clock keeps running.
func (w *World) Pause(boxName string) {
	b := w.boxes[w.boxIndex(boxName)]
	if !b.up || b.paused {
		return
	}
	b.paused = true
	w.stats.Pauses++
	w.emit(traces.KindPause, External, External, b.name, b.name)
}

// Resume lets a paused box handle what queued up, in arrival order, from now.
func (w *World) Resume(boxName string) {
	b := w.boxes[w.boxIndex(boxName)]
	if !b.paused {
		return
	}
	b.paused = false
	w.emit(traces.KindResume, External, External, b.name, b.name)
	for _, d := range b.deferred {
		w.schedule(w.now, d.ev)
	}
	b.deferred = nil
}

// RecordFault adds a fault event to the trace (for faults applied through the
// network and clock setters, which do not trace themselves) and counts it.
func (w *World) RecordFault(kind, text string) {
	if w.stats.Faults == nil {
		w.stats.Faults = map[string]uint64{}
	}
	w.stats.Faults[kind]++
	w.emit(traces.KindFault, External, External, kind, text)
}
