// Command orrerylint runs Orrery's determinism lint (package lint/determinism) on Go
// packages whose code runs inside a simulation: agents, protocol packages, checkers.
// It reports wall-clock reads, global randomness, go and select statements, and range
// over a map without a "// lint:ordered <why>" comment.
//
// In the user's module, record it as a tool once, then run it standalone or under
// go vet (which also loads each package's test variant; test files are skipped):
//
//	go get -tool github.com/orrery-sim/orrery/cmd/orrerylint
//	go tool orrerylint ./myprotocol/...
//	go run github.com/orrery-sim/orrery/cmd/orrerylint ./myprotocol/...
//	go vet -vettool=$(go tool -n orrerylint) ./myprotocol/...
//
// Standalone, it exits 0 when there is nothing to report, 3 when it reports
// findings and 1 when a package does not load; go vet exits 1 on findings.
package main

import (
	"github.com/orrery-sim/orrery/lint/determinism"
	"golang.org/x/tools/go/analysis/singlechecker"
)

func main() { singlechecker.Main(determinism.Analyzer) }
