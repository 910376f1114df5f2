// Command bugbench measures how quickly each search strategy finds each
// planted bug: for every planted bug of every registered protocol it runs seeds
// 1, 2, ... with the seeded scheduler and with PCT-style priorities (both under
// the swarm nemesis) until the first failure, within a seed and wall-time bound,
// and shrinks the failing run with package shrink; it runs simtest's rapid
// search (fault plans and schedules drawn and shrunk by rapid, short runs, at
// most 500 cases, -rapid.seed 1 unless given); and for the built-in models of
// the model checker with a planted bug it runs an exhaustive search. It prints a
// table and writes the rows as JSON.
//
//	go run ./bench/bugbench                          # make bugbench
//	go run ./bench/bugbench -seeds 500 -protocols raft,chat -o bugbench.json
//
// "Seeds" is the first failing seed, which is how many seeds a sequential
// search runs; seeds run in parallel on -workers cores, but every seed below
// the reported one has run and passed, so the number does not depend on the
// worker count. Wall times do, and a strategy that hits the -cell-time cap is
// reported as not found "(time)". Shrunk sizes are the events up to the
// failure and the fault plan's entries; they depend on shrink's wall-clock
// budget only when it runs out (marked "*"). A rapid row's wall time includes
// rapid's own shrinking, and its size is rapid's shrunk case.
package main
