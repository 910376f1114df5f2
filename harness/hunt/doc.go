// Package hunt searches for a failing run of a configuration with one of a
// portfolio of strategies, and reports how many runs it took:
//
//   - random: seeds BaseSeed, BaseSeed+1, ... with the seeded scheduler (a
//     sweep);
//   - pct: the same seeds under PCT-style node priorities;
//   - novelty: branch-on-first-hit with state novelty. Every run notes, after
//     each event, an abstract feature of the node that just stepped (its
//     sim.Summarizer summary with numbers bucketed and relations between
//     neighbouring numbers kept; see Feature). A run that produced a feature
//     no earlier run had joins the corpus with the choice index at which it
//     first did. Half of the later runs are fresh seeds, the other half
//     branches: a corpus run's choices are replayed up to that index
//     (scheduler.Splice) and the run goes on with fresh randomness, so
//     the search keeps returning to states it has just discovered.
//     Re-execution stands in for snapshots.
//
// Runs are planned in generations: the runs of one generation depend only on
// the corpus of the ones before, they run in parallel, and their results are
// merged in order, so that every answer (the failing run, the runs it took,
// the corpus) is a function of the options and the base seed, never of the
// number of workers.
//
// A branched run is not a plain seed: its Config says Scheduler "splice" and
// its choices (Run.Choices) replay it with scheduler.Replay; Run.WriteTrace
// writes its trace. hunt is a driver outside the simulation: it starts
// goroutines and reads the wall clock for its optional deadline, but no answer
// depends on either unless the deadline passes.
package hunt
