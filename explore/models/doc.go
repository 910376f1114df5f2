// Package models links every built-in model into a binary, so that
// explore.Lookup and explore.Builtins see them: import it for its side effect.
// Each model lives in its own subpackage and registers itself from init.
package models

import (
	_ "github.com/orrery-sim/orrery/explore/models/paxos"    // registers "paxos"
	_ "github.com/orrery-sim/orrery/explore/models/twophase" // registers "twophase"
)
