// Package scheduler is the one door through which every nondeterministic choice of a
// simulation passes: message delays, drops and duplicates, agent randomness, fault
// plans, workload draws. A Chooser answers "pick a number in [0, n)" for a named
// purpose. Seeded draws from one PCG stream per purpose, so turning one fault kind off
// does not reshuffle the delays; Recorder logs every answer; Replay feeds a logged
// sequence back, per purpose, answering 0 (the simplest choice) once a purpose runs
// out, which is what lets a shrinker delete and simplify choices and still get a
// runnable schedule. KeyedReplay replays a log that KeyRecorder recorded with
// who asked each question (the agent, and a delay's link) per asker instead,
// so that a shrinker's edit to one agent's questions leaves the others'
// answers in place. PCT orders deliveries by random node priorities with d-1
// change points (Burckhardt et al., ASPLOS 2010); it learns which link a delay is
// for through the optional LinkChooser interface.
//
// Choosers run inside a simulation: they hold no clock, start no goroutine and read
// no global random source.
package scheduler
