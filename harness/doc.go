// Package harness runs one configured simulation: it builds the world for a
// protocol, installs the nemesis, runs the safety and liveness phases, and writes
// the trace. Config is plain data (it is stored in every trace header), so a run is
// fully described by its Config plus the scheduler's choices, and a replay
// (RunOptions.Chooser = scheduler.NewReplay) re-runs a trace from exactly those. simrun, sweeps, shrinking and simtest all run through
// this package.
package harness
