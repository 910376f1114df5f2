// Package exitcode is the one home of the exit codes of simrun (and of any
// program built with cli.Main): every mode maps its outcome onto these, and
// the README's exit-code table lists them.
package exitcode

// The exit codes.
const (
	OK = 0 // every check passed; a search complete with every property holding
	// Safety: an always or end-of-run property failed (linearizability
	// included), or the model checker found a violation.
	Safety = 1
	Usage  = 2 // bad usage or bad input: one line on stderr says what and where
	// Liveness: an eventually property was still pending at the bound, a
	// sometimes property never held; or a search stopped by a limit before
	// a verdict (unknown).
	Liveness = 3
	Panic    = 4 // a panic in an agent, an action, a property or the engine
	// Diverged: a replay no longer reproduces its trace, or
	// -check-determinism found two runs of one seed that differ, whatever
	// the verdict: the run does not reproduce.
	Diverged = 5
	// Interrupted: a sweep stopped (Ctrl-C) before it ran every seed; 128 +
	// SIGINT, as a shell reports a process Ctrl-C ended.
	Interrupted = 130
)
