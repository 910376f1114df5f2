// Package memlimit measures the process's memory and bounds searches by it.
// A search (the model checker, the linearizability check) grows until the
// machine swaps or the kernel kills it, which tells a user nothing; with a
// bound it stops with a verdict of "incomplete" and says which limit stopped
// it. InUse is cheap (two runtime/metrics samples, no stop-the-world), but
// searches still call it only every few thousand states. Default is the bound
// simrun applies when none is given: half of the machine's (or container's)
// memory.
package memlimit
