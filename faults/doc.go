// Package faults is the fault vocabulary of Orrery and the nemesis that draws fault
// plans from a seed. Faults act on a sim.World only through its fault setters
// (Crash, Restart, Pause, Cut, Clog, SetLoss, SetClock, ...), scheduled as actions.
package faults
