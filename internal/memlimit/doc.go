// Package memlimit measures the process's memory and bounds searches by it.
// A search (the model checker, the linearizability check) grows until the
// machine swaps or the kernel kills it, which tells a user nothing; with a
// bound it stops without a verdict (the model checker's "limit=memory", the
// linearizability check's "unknown") and says which limit stopped it. InUse is cheap (two runtime/metrics samples, no stop-the-world), but
// searches still call it only every few thousand states. Default is the bound
// simrun applies when none is given: half of the machine's (or container's)
// memory.
package memlimit
