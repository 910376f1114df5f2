// Package scenario runs scenario scripts: text files in the etcd/raft testdata
// style that drive one simulated world command by command and pin what it shows.
//
// A file opens with '#' comment lines saying what it tests. Then come cases, a
// blank line between two: one or more command lines, a "----" line, and the
// expected output. Commands run in order against the same world, so a file reads
// as one story (start, crash, run, check). Running the tests with -rewrite, or
// with ORRERY_REWRITE=1 in the environment (which, unlike the flag, every test
// binary of "go test ./..." accepts), regenerates every expected output from
// what the commands print; the diff is the review.
//
// The built-in commands start a protocol's world, apply any fault of package
// faults by its text ("crash n1", "partition n1 | n2 n3", "heal"), schedule a
// fault plan ("faults at 1s crash n1; at 2s restart n1"), run virtual time,
// step one event at a time, submit client requests, and print agent state,
// properties, history and fault counters. Protocols add their own commands
// (alive sets, delivered logs) through Options.Commands. Everything a command
// prints is a function of the script: worlds are seeded and nothing reads the
// wall clock.
package scenario
