// Command simrun runs Orrery simulations of the built-in protocols: one seed, a
// sweep of seeds, a replay of a trace file, a linearizability check of a history
// file, or a model-checking search. See package cli for the modes and exit codes.
package main

import (
	"os"

	"github.com/orrery-sim/orrery/cli"
	_ "github.com/orrery-sim/orrery/protocols/all"
)

func main() { os.Exit(cli.Main()) }
