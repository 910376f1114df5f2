package explorecli

import (
	"fmt"
	"io"
	"time"

	"github.com/orrery-sim/orrery/explore"
	"github.com/orrery-sim/orrery/internal/memlimit"
)

// reportLimit says on stderr, in one line, that the memory bound or the
// timeout stopped the search, and for memory how to go further.
func reportLimit(o Options, r explore.Result, w io.Writer) {
	switch r.Limit {
	case "memory":
		fmt.Fprintf(w, "%s -explore: stopped by -max-memory %s after %d states (%.0f bytes/state); raise -max-memory or bound the search with -max-states or -max-depth\n",
			o.program(), memlimit.Format(o.MaxMemory), r.States, r.BytesPerState)
	case "timeout":
		fmt.Fprintf(w, "%s -explore: stopped by -timeout %s after %s and %d states; what the search had not decided is unknown\n",
			o.program(), o.Timeout, time.Duration(r.Seconds*float64(time.Second)).Round(time.Millisecond), r.States)
	}
}
