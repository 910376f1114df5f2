// Package linearizability decides whether a concurrent history of client
// operations is linearizable with respect to a sequential model, and explains
// why not when it is not.
//
// A [Model] is a struct of functions (Init, Step or StepAll, Equal, Hash,
// Partition, Describe…) in which every hook but Init and one of Step or StepAll
// has a default, so adding a hook never breaks a caller. [Check] runs Wing & Gong / Lowe's just-in-time
// linearization search, iteratively, memoizing (set of linearized operations,
// model state) pairs; a Partition hook splits a history into independent parts
// (P-compositionality) that are checked on several goroutines. The contract:
// the verdict is three-valued ([Ok], [Illegal], [Unknown] when the context is
// cancelled or times out), and for a given history and model the verdict and
// the [Explanation] (longest linearizable prefix and the operations that cannot
// be placed after it, per failing partition) are the same on every run,
// whatever the number of goroutines. An [Operation] marked Open (its client
// crashed or timed out) may take effect at any point after its call, or never.
//
// The package ships models for a register, a compare-and-set register, a
// key-value map, a set and a FIFO queue, and parsers for Porcupine's kv
// format, Jepsen's etcd logs and Jepsen/Knossos EDN histories.
package linearizability
