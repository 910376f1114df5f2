package cli

// The tests drive simrun over the built-in protocols, as cmd/simrun does.
import _ "github.com/orrery-sim/orrery/protocols/all"
