package memlimit

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"time"
)

// fallbackBytes is the default bound when the machine's memory cannot be read.
const fallbackBytes = 4 << 30

// defaultShareDivisor: the default bound is 1/defaultShareDivisor of the
// machine's memory, leaving the rest to the OS and other processes.
const defaultShareDivisor = 2

const (
	metricTotal    = "/memory/classes/total:bytes"
	metricReleased = "/memory/classes/heap/released:bytes"
)

// InUse returns the memory the Go runtime holds from the operating system
// and has not released back: heap (live, garbage not yet collected, free
// spans kept), stacks and runtime metadata. It is the process's resident
// Go memory within a few percent, the figure a machine runs out of.
func InUse() uint64 {
	s := [2]metrics.Sample{{Name: metricTotal}, {Name: metricReleased}}
	metrics.Read(s[:])
	total, released := s[0].Value.Uint64(), s[1].Value.Uint64()
	if released > total {
		return 0
	}
	return total - released
}

// Physical returns the memory available to this process: the smaller of the
// machine's (MemTotal in /proc/meminfo) and the cgroup's limit (a container's
// memory.max), and whether either could be read.
func Physical() (uint64, bool) {
	bytes, ok := uint64(0), false
	if text, err := os.ReadFile("/proc/meminfo"); err == nil {
		bytes, ok = parseMeminfo(string(text))
	}
	for _, path := range []string{"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"} {
		text, err := os.ReadFile(path)
		if err != nil {
			continue
		}
		limit, err := strconv.ParseUint(strings.TrimSpace(string(text)), 10, 64)
		if err != nil || limit == 0 || limit >= math.MaxInt64/2 { // "max" or the v1 "unlimited" sentinel
			continue
		}
		if !ok || limit < bytes {
			bytes, ok = limit, true
		}
	}
	return bytes, ok
}

// parseMeminfo reads MemTotal (in kB) from /proc/meminfo.
func parseMeminfo(text string) (uint64, bool) {
	for _, line := range strings.Split(text, "\n") {
		rest, found := strings.CutPrefix(line, "MemTotal:")
		if !found {
			continue
		}
		fields := strings.Fields(rest)
		if len(fields) != 2 || fields[1] != "kB" {
			return 0, false
		}
		kb, err := strconv.ParseUint(fields[0], 10, 64)
		if err != nil || kb == 0 || kb > math.MaxUint64/1024 {
			return 0, false
		}
		return kb * 1024, true
	}
	return 0, false
}

// Default is the bound used when the user sets none: half of Physical, or
// 4 GiB when the machine's memory cannot be read.
func Default() uint64 {
	if bytes, ok := Physical(); ok {
		return bytes / defaultShareDivisor
	}
	return fallbackBytes
}

var units = []struct {
	suffix string
	bytes  uint64
}{
	{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"TiB", 1 << 40},
	{"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12},
	{"K", 1 << 10}, {"M", 1 << 20}, {"G", 1 << 30}, {"T", 1 << 40}, {"B", 1},
}

// Parse reads a size: a whole number of bytes, or a number with a unit:
// 512MiB, 1.5GiB, 8GB, 4G (K, M, G and T are binary, as in GOMEMLIMIT).
// "0" means no bound.
func Parse(s string) (uint64, error) {
	num, unit := s, uint64(1)
	for _, u := range units {
		if n, ok := strings.CutSuffix(s, u.suffix); ok {
			num, unit = n, u.bytes
			break
		}
	}
	f, err := strconv.ParseFloat(num, 64)
	if err != nil || num == "" || strings.ContainsAny(num, "eEpPxX+-_") || math.IsNaN(f) || f < 0 {
		return 0, fmt.Errorf("want a size such as 512MiB, 8GiB or 0 (none), got %q", s)
	}
	bytes := f * float64(unit)
	if bytes >= math.MaxInt64 {
		return 0, fmt.Errorf("size %q is too large", s)
	}
	return uint64(bytes), nil
}

// Format renders a size for people: 512.0MiB, 11.5GiB, 900B.
func Format(bytes uint64) string {
	switch {
	case bytes >= 1<<30:
		return fmt.Sprintf("%.1fGiB", float64(bytes)/(1<<30))
	case bytes >= 1<<20:
		return fmt.Sprintf("%.1fMiB", float64(bytes)/(1<<20))
	case bytes >= 1<<10:
		return fmt.Sprintf("%.1fKiB", float64(bytes)/(1<<10))
	}
	return fmt.Sprintf("%dB", bytes)
}

// gcLimitPercent places the garbage collector's soft limit below a bound, so
// that garbage is collected before the bound is reached: a search stops when
// its live data needs the memory, not when a collection is due.
const gcLimitPercent = 90

// CollectBelow sets the collector's soft limit (debug.SetMemoryLimit) for a
// search bounded by limit bytes (none when zero) and returns what restores
// the previous one.
func CollectBelow(limit uint64) (restore func()) {
	if limit == 0 {
		return func() {}
	}
	previous := debug.SetMemoryLimit(int64(min(limit/100*gcLimitPercent, math.MaxInt64)))
	return func() { debug.SetMemoryLimit(previous) }
}

// Exceeded is the cause of a context that Watch cancelled.
type Exceeded struct {
	Limit, InUse uint64
}

func (e *Exceeded) Error() string {
	return fmt.Sprintf("memory limit %s reached (%s in use)", Format(e.Limit), Format(e.InUse))
}

// ErrExceeded matches any *Exceeded with errors.Is.
var ErrExceeded = errors.New("memory limit reached")

// Is makes errors.Is(err, ErrExceeded) hold.
func (e *Exceeded) Is(target error) bool { return target == ErrExceeded }

// Watch returns a context that is cancelled, with an *Exceeded cause, once
// InUse reaches limit, polled every interval; for searches that take a
// context but offer no hook of their own. A zero limit watches nothing. The
// returned stop function releases the watcher.
func Watch(ctx context.Context, limit uint64, interval time.Duration) (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(ctx)
	if limit == 0 {
		return ctx, func() { cancel(nil) }
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		ticker := time.NewTicker(interval)
		defer ticker.Stop()
		for {
			if inUse := InUse(); inUse >= limit {
				cancel(&Exceeded{Limit: limit, InUse: inUse})
				return
			}
			select {
			case <-done:
				return
			case <-ctx.Done():
				return
			case <-ticker.C:
			}
		}
	}()
	return ctx, func() {
		close(done)
		wg.Wait()
		cancel(nil)
	}
}
