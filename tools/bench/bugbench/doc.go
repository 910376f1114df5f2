// Command bugbench measures how quickly each search strategy finds each
// planted bug. For every planted bug of every registered protocol and every
// strategy it searches from several base seeds (-bases, default 5; base k
// starts at seed 1 + k*1,000,000) until the first failure, within -runs runs
// per base and a -cell-time wall-time cap per bug and strategy, and reports
// the runs to the first failure per base and their median:
//
//   - random, novelty, pct: package hunt's strategies under the swarm
//     nemesis (random is a sweep from the base seed; novelty branches from
//     runs that reached new abstract states; pct gives nodes priorities);
//   - rapid: simtest's property search (rapid draws the fault plan, sizes and
//     schedule; the protocol's default run length), -rapid.seed k+1, at most
//     1000 cases per base; its unit is cases;
//   - tapes: simtest.Fuzz's decision tapes drawn at random (simtest.RunTape).
//     go test -fuzz cannot be driven in-process and its coverage feedback
//     follows the engine's code, not the protocol's states, so this measures
//     the fuzz target's search space without the fuzzer's mutations.
//
// Built-in models with a planted bug are also model-checked (states to the
// shortest counterexample). An overall ranking follows: the geometric mean
// of each strategy's medians over the bugs (a median not found counts as
// twice the bound) and the bugs on which it has the lowest median.
//
//	go run ./tools/bench/bugbench                          # make bugbench
//	go run ./tools/bench/bugbench -bases 3 -protocols raft,chat -strategies random,novelty
//	go run ./tools/bench/bugbench -strategies random -bases 1 -shrink-time 60s -o tools/bench/bugbench/shrink.json   # the shrink table
//
// Counts do not depend on the number of workers (hunt plans runs in
// generations; tapes run in ordered batches); wall times do, and a cell that
// hits -cell-time reports its remaining bases as not found ("t"). With
// -shrink-time, the random strategy's first failure is shrunk with package
// shrink (the default run budget or -shrink-runs, that wall time; a negative
// -shrink-time bounds the shrink by runs alone, so its result does not depend
// on the machine). -bugs picks planted bugs by name.
package main
