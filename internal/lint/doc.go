// Package lint holds Orrery's determinism policy for its own code, run as a Go test:
// the packages whose code runs inside a simulation (sim/, faults/, protocols/ with
// protocols/quorum and protocols/ovid/cluster, scheduler/, checkers/raftsafety,
// checkers/durable, workload/) must pass the lint/determinism analyzer with no
// findings. That analyzer is the one users run on their own protocol packages, with
// cmd/orrerylint; a map iteration whose order does not matter is marked with a
// "// lint:ordered <why>" comment on its line or the line above.
package lint
