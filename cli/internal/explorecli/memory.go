package explorecli

import (
	"fmt"
	"io"

	"github.com/orrery-sim/orrery/explore"
	"github.com/orrery-sim/orrery/internal/memlimit"
)

// reportMemoryLimit says on stderr, in one line, that the memory bound
// stopped the search and how to go further.
func reportMemoryLimit(o Options, r explore.Result, w io.Writer) {
	if r.Limit != "memory" {
		return
	}
	fmt.Fprintf(w, "simrun -explore: stopped by -max-memory %s after %d states (%.0f bytes/state); raise -max-memory or bound the search with -max-states or -max-depth\n",
		memlimit.Format(o.MaxMemory), r.States, r.BytesPerState)
}
