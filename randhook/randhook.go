package randhook

import (
	"bytes"
	"crypto/rand"
	"io"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
)

var (
	installOnce sync.Once
	fallback    io.Reader // crypto/rand.Reader as Install found it

	mu    sync.RWMutex
	bound = map[uint64]io.Reader{} // self() of a goroutine inside With -> its reader
	count atomic.Int32             // len(bound), read without the lock
)

// Install points crypto/rand.Reader at the dispatcher. Calls after the first do
// nothing.
func Install() {
	installOnce.Do(func() {
		fallback = rand.Reader
		rand.Reader = dispatcher{}
	})
}

// Installed reports whether crypto/rand.Reader is the dispatcher.
func Installed() bool {
	_, ok := rand.Reader.(dispatcher)
	return ok
}

// With runs f with crypto/rand.Reader reading from r on the calling goroutine
// only. It panics if Install was not called (the library would silently draw
// from the system's source). Calls may nest: the inner reader serves the inner f.
func With(r io.Reader, f func()) {
	if !Installed() {
		panic("randhook: With before Install (call randhook.Install from an init function)")
	}
	unpin := pin()
	defer unpin()
	id := self()
	mu.Lock()
	prev, nested := bound[id]
	bound[id] = r
	count.Store(int32(len(bound)))
	mu.Unlock()
	defer func() {
		mu.Lock()
		if nested {
			bound[id] = prev
		} else {
			delete(bound, id)
		}
		count.Store(int32(len(bound)))
		mu.Unlock()
	}()
	f()
}

// dispatcher is what crypto/rand.Reader becomes.
type dispatcher struct{}

// Read serves the calling goroutine's reader, or the one Install replaced.
// The caller is pinned while it names itself and looks the name up: on Linux
// the name is its thread's id, and a goroutine outside With that moved to
// another thread in between could find the reader of a goroutine that has
// since locked the thread it named.
func (dispatcher) Read(p []byte) (int, error) {
	if count.Load() > 0 {
		unpin := pin()
		id := self()
		mu.RLock()
		r, ok := bound[id]
		mu.RUnlock()
		unpin()
		if ok {
			return r.Read(p)
		}
	}
	return fallback.Read(p)
}

// goroutineID parses the calling goroutine's id from the first line of its
// stack ("goroutine 18 [running]:"): correct everywhere, but it walks the
// whole stack (microseconds), so Linux uses thread ids instead (self_linux.go).
func goroutineID() uint64 {
	var buf [64]byte
	b := buf[:runtime.Stack(buf[:], false)]
	b = bytes.TrimPrefix(b, []byte("goroutine "))
	if i := bytes.IndexByte(b, ' '); i > 0 {
		b = b[:i]
	}
	id, err := strconv.ParseUint(string(b), 10, 64)
	if err != nil {
		panic("randhook: cannot read the goroutine id from " + strconv.Quote(string(buf[:])))
	}
	return id
}
