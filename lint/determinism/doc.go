// Package determinism is Orrery's determinism lint as a [golang.org/x/tools/go/analysis]
// analyzer, for the code that runs inside a simulation: agents, their protocol
// packages, checkers run per event. A simulation is reproducible only if every source
// of nondeterminism flows through the scheduler, so the analyzer reports, in non-test
// files:
//
//   - wall-clock calls: time.Now, Since, Until, Sleep, After, AfterFunc, Tick,
//     NewTimer, NewTicker (use sim.Context.Now and SetTimer);
//   - global randomness: the package-level functions of math/rand and math/rand/v2
//     (a generator built from an explicit seed, such as rand.New(rand.NewPCG(1, 2)),
//     is allowed), and any use of crypto/rand except assigning crypto/rand.Reader
//     (which is how a library's own randomness is pointed at the scheduler);
//   - go statements, sync.WaitGroup.Go and select statements (a simulation runs on
//     one goroutine);
//   - range over a map, or over maps.Keys, maps.Values or maps.All, whose order Go
//     randomises, unless the loop carries a "// lint:ordered <why>" comment on its
//     line or the line above, saying why the order does not matter (the keys are
//     sorted afterwards, the loop only sums or copies).
//
// The analyzer looks at syntax and types only: it does not follow calls into other
// packages, so run it on every package whose code runs in a simulation, and it does
// not track where a map's order flows (slices.Collect(maps.Keys(m)) left unsorted
// passes). Test files are skipped, since tests may start goroutines and read the
// clock to drive runs.
// The command orrerylint runs it standalone or under go vet -vettool.
package determinism
