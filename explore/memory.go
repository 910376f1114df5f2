package explore

import (
	"context"
	"sync/atomic"

	"github.com/orrery-sim/orrery/internal/memlimit"
)

// Names of the limits a poll can stop a search for (Result.Limit).
const (
	limitTimeout = "timeout"
	limitMemory  = "memory"
)

// memoryWatch samples the process's memory where the search polls its
// context (every few thousand states, never per state): it keeps the peak
// for Result.BytesPerState and enforces Options.MemoryMax.
type memoryWatch struct {
	base, peak atomic.Uint64
	// stop is the limit that interrupted the search, "" while none did.
	stop atomic.Pointer[string]
}

func (m *memoryWatch) start() {
	inUse := memlimit.InUse()
	m.base.Store(inUse)
	m.peak.Store(inUse)
}

// sample records the memory in use now and returns it.
func (m *memoryWatch) sample() uint64 {
	inUse := memlimit.InUse()
	for {
		peak := m.peak.Load()
		if inUse <= peak || m.peak.CompareAndSwap(peak, inUse) {
			return inUse
		}
	}
}

// grown is how much the search raised the process's memory at its peak.
func (m *memoryWatch) grown() uint64 {
	m.sample()
	return m.peak.Load() - min(m.base.Load(), m.peak.Load())
}

// interrupted polls the context and the memory bound; once either says stop,
// it keeps saying so, and interruption names which.
func (c *checker[S, A]) interrupted(ctx context.Context) bool {
	if c.memory.stop.Load() != nil {
		return true
	}
	limit := ""
	switch {
	case ctx.Err() != nil:
		limit = limitTimeout
	case c.memory.sample() >= c.options.MemoryMax && c.options.MemoryMax > 0:
		limit = limitMemory
	default:
		return false
	}
	c.memory.stop.CompareAndSwap(nil, &limit)
	return true
}

// timedOut is the poll a search makes between any two states: the context
// only (an atomic load, so it costs nothing next to a state), or a stop that
// a poll of interrupted already decided. interrupted, which also samples the
// memory, runs every few thousand states; a timeout must not wait that long
// when states are slow (a linearizability check on each, say).
func (c *checker[S, A]) timedOut(ctx context.Context) bool {
	if c.memory.stop.Load() != nil {
		return true
	}
	if ctx.Err() == nil {
		return false
	}
	limit := limitTimeout
	c.memory.stop.CompareAndSwap(nil, &limit)
	return true
}

// interruption is the limit that interrupted the search.
func (c *checker[S, A]) interruption() string {
	if p := c.memory.stop.Load(); p != nil {
		return *p
	}
	return limitTimeout
}
