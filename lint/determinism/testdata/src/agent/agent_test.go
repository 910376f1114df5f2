package agent

import (
	"testing"
	"time"
)

// Test files drive runs and may use goroutines and the clock: they are not linted.
func TestDrive(t *testing.T) {
	done := make(chan bool)
	go func() { done <- true }()
	select {
	case <-done:
	case <-time.After(time.Second):
	}
}
