package randhook

import (
	"runtime"
	"syscall"
)

// On Linux a goroutine inside With is locked to its OS thread, and the
// thread's id names it: while it is locked no other goroutine runs on that
// thread, so a read from any other goroutine sees another id. gettid is one
// system call, a hundred times cheaper than reading the goroutine id from a
// stack trace.

func pin() (unpin func()) {
	runtime.LockOSThread()
	return runtime.UnlockOSThread
}

func self() uint64 { return uint64(syscall.Gettid()) }
