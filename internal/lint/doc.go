// Package lint holds Orrery's determinism lint, run as a Go test: code that runs
// inside a simulation (sim/, faults/, protocols/, scheduler/) must not read the wall
// clock, use the global math/rand source, start goroutines, select on channels, or
// range over a map unless the loop is marked order-independent with a
// "lint:ordered <why>" comment on the line above it (e.g. when keys are sorted
// afterwards, or the loop only copies or sums).
package lint
