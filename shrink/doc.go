// Package shrink minimises a failing run: it searches for a smaller run that
// fails the same way (same verdict, same property) and returns it as a Case,
// a harness.Config plus a scheduler choice log, that replays exactly.
//
// A run is fully described by its Config and the answers of its scheduler, so
// every candidate is an ordinary deterministic re-run through harness.Run.
// Candidates replay their log one of three ways: per purpose
// (scheduler.NewReplay), per asker (scheduler.KeyedReplay: each agent's
// questions, and each link's delays, losses and duplicates, replay their own
// answers, so an edit that changes what one agent asks leaves the other
// agents' timeouts where they were), or per asker and in time
// (scheduler.NewTimedReplay: a question skips its key's answers recorded
// before it that nobody asked for, so an edit that removes questions from a
// stretch of the run leaves the later ones their answers); a round of passes
// that makes no progress one way switches to the next. Every way a candidate
// answers the simplest answer once its answers run out (scheduler.Simplest:
// the shortest delay, no loss, no duplicate, the first option), so deleting
// or simplifying choices always leaves a runnable schedule, and each
// accepted candidate is re-recorded, so the current log is always exactly the
// one its run asked for, and replays identically with scheduler.Replay.
//
// The passes, repeated until no way of replaying makes progress or the
// budget is spent: turn a drawn nemesis plan into explicit plan text
// (faults.DrawPlan), end the safety phase at the failure, delete fault
// entries (delta debugging), pull faults earlier (all at half their times,
// all by one shift, in every other search each tail of the plan by one
// shift, closing the quiet time between episodes while each keeps its
// length, then each entry), shorten the faults that last a given time
// and lower a spike's or jitter's delay, remove nodes (down to the
// protocol's minimum) and clients, cap the operations per client
// (Config.Ops, where the protocol honours it), leave operations out of the
// middle of a workload (Config.Skip), start clients late (Config.StartAt,
// with the answers the later start removes taken out of the log), lower the
// integer parameters the protocol marks (protocols.Param.Shrink; raise those
// marked protocols.Param.Raise), halve the safety phase, and simplify the
// scheduling choices (delete chunks, set values to the simplest answer, and,
// in a round that gains nothing otherwise, set them to the far end: a timer
// past the failure, a lost message, which takes what they set off out of the
// story). When they stop (or first, for a failure judged
// after the safety phase; a failure inside it gets a quarter of the budget
// first), sweeps run fresh seeds: around the current fault plan, and with
// the nemesis in shorter safety phases (an eighth, a quarter, half), each
// also with the marked parameters halved (a timer such as an election timeout
// changes every later draw, so it rarely keeps the current story, while a
// fresh seed finds one that passes in fewer rounds), with
// few operations per client (for a failure judged at the end, the current
// cap: capped clients would fail the liveness phase first), and a smaller
// failure found restarts the passes from there: a failure judged late
// rarely survives edits to its own long story, but is often found afresh in
// a short one. A sweep that finds none shorter goes on from the shortest it
// found at most a quarter longer (another basin for the passes), and the
// search keeps whichever ends shorter. With budget left, Shrink searches
// again from the original run up to three times, each another way (the
// next way of replaying first, further sweep seeds, tails of the plan moved
// or not), and keeps the smallest result. A candidate already rejected is
// not run again.
//
// The shrinker is a driver outside the simulation: it reads the wall clock for
// its time budget. With a run budget only (Options.Time < 0) the result is a
// function of the input alone.
package shrink
