// Package lincli is the command-line logic of the linearizability checker
// (simrun -history FILE -model NAME): Run reads a history file, checks it
// against a named model and reports the verdict, the check time and, on
// failure, an explanation. Its contract is the exit code: 0 linearizable,
// 1 not linearizable, 2 bad usage or input (one line on stderr saying what
// and where), 3 unknown (timed out, or stopped at the memory bound).
package lincli
