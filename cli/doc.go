// Package cli is the simrun command line as a library: Main runs every mode of
// simrun (one seed, sweeps with -results/-resume/-shard, -replay/-until/-step,
// -shrink, -html/-perfetto, -check-determinism, -history, -explore) over
// os.Args, for the registered protocols plus the ones it is given. cmd/simrun is
// Main with every built-in protocol; a user's own command is Main with theirs.
//
// Exit codes: 0 every check passed; 1 safety violation (or two runs that differ
// under -check-determinism); 2 bad usage or input;
// 3 liveness violation (or a check that could not finish); 4 a panic (in an
// agent, an action, a property or the engine; reported with its seed); 5 a
// replay diverged: the trace no longer reproduces, whatever its verdict; 130 a
// sweep was interrupted before it ran every seed.
package cli
