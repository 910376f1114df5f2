// Command linearizability compares Orrery's linearizability checker with
// Porcupine (github.com/anishathalye/porcupine) on the histories shipped in
// Porcupine's module: Jepsen etcd logs and kv histories, the latter checked
// both per key and as a whole map. It alternates the two checkers on the
// same machine, prints per-file medians, verdicts against Porcupine's own
// test expectations, totals and peak heap. It lives in its own module so
// Porcupine never becomes a dependency of Orrery.
package main
