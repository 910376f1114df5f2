// Package version names the Orrery build that is running: the module version
// of github.com/orrery-sim/orrery and, when the build recorded them, the VCS
// revision and whether the tree had uncommitted changes (runtime/debug build
// information). Trace headers and sweep results record String, so that a
// replay that no longer reproduces can say that the code changed, and a sweep
// does not resume from results another build produced.
package version
