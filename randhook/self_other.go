//go:build !linux

package randhook

// Elsewhere the goroutine id names the goroutine; no thread is locked.

func pin() (unpin func()) { return func() {} }

func self() uint64 { return goroutineID() }
