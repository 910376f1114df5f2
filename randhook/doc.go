// Package randhook routes the randomness a library draws from crypto/rand
// through the simulation's scheduler, for libraries that offer no hook of their
// own (etcd's raft draws its randomized election timeouts from crypto/rand.Int
// over crypto/rand.Reader, a package-wide source).
//
// Install replaces crypto/rand.Reader, once per process, with a dispatcher: a
// goroutine inside With reads from the reader With was given (normally the
// handler's sim.Context.RandReader, whose bytes are scheduler choices recorded
// in the trace, replayed and shrunk); every other goroutine reads from the
// reader Install replaced. Sweeps run one world per goroutine, so concurrent
// worlds each read their own choices and a seed's run does not depend on the
// number of workers.
//
// With costs a few hundred nanoseconds on Linux, where the goroutine is locked
// to its OS thread for the call and named by the thread's id, and a few
// microseconds elsewhere, where it is named by its goroutine id.
//
// Call Install from an init function (or before any goroutine may read
// crypto/rand.Reader): replacing a package variable is not safe while another
// goroutine reads it. Only reads through crypto/rand.Reader are redirected:
// since Go 1.26 most of the standard library's cryptography ignores custom
// readers and always uses the system's source, which is what such code wants.
package randhook
