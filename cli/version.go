package cli

import (
	"fmt"
	"io"

	"github.com/orrery-sim/orrery/internal/version"
)

// printVersion prints the build (simrun -version): the version recorded in
// traces and results, then the module and VCS details it comes from.
func printVersion(w io.Writer) {
	for i, line := range version.Lines() {
		if i == 0 {
			line = program + " " + line
		}
		fmt.Fprintln(w, line)
	}
}
