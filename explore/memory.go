package explore

import "runtime/metrics"

// heapSampler tracks the peak of the heap in use (runtime.MemStats.HeapInuse:
// objects, live or not yet swept, plus the unused parts of in-use spans), so
// that a result reports what the search really cost per state, not only its
// tables. It reads runtime/metrics, which does not stop the world.
type heapSampler struct {
	samples []metrics.Sample
	peak    uint64
}

func newHeapSampler() *heapSampler {
	return &heapSampler{samples: []metrics.Sample{
		{Name: "/memory/classes/heap/objects:bytes"},
		{Name: "/memory/classes/heap/unused:bytes"},
	}}
}

func (h *heapSampler) sample() {
	metrics.Read(h.samples)
	var inUse uint64
	for _, s := range h.samples {
		if s.Value.Kind() == metrics.KindUint64 {
			inUse += s.Value.Uint64()
		}
	}
	h.peak = max(h.peak, inUse)
}
