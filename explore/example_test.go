package explore_test

import (
	"context"
	"fmt"

	"github.com/orrery-sim/orrery/explore"
	"github.com/orrery-sim/orrery/explore/models/twophase"
)

// Check TwoPhase.tla with three resource managers, as TLC does, then again
// with the resource managers interchangeable.
func ExampleCheck() {
	m := twophase.New(3)
	for _, symmetry := range []bool{false, true} {
		r, err := explore.Check(context.Background(), m, explore.Options{Symmetry: symmetry})
		if err != nil {
			panic(err)
		}
		fmt.Printf("symmetry=%v: %s, %d states, %d generated, depth %d\n", symmetry, r.Status, r.States, r.Generated, r.Depth)
	}
	// Output:
	// symmetry=false: complete, 288 states, 1146 generated, depth 11
	// symmetry=true: complete, 80 states, 318 generated, depth 11
}
