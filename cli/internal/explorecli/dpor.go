package explorecli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/orrery-sim/orrery/explore/actors"
	"github.com/orrery-sim/orrery/internal/memlimit"
)

// runDPOR explores the protocol's agents with the stateless search (-dpor):
// no visited set, one execution per Mazurkiewicz trace within the depth
// bound. It reports like the other searches, with the search's own counts
// on one more line, and returns the process exit code.
func (pr *protocolRun) runDPOR(ctx context.Context, stdout, stderr io.Writer) int {
	o := pr.o
	restore := memlimit.CollectBelow(o.MaxMemory)
	r, err := pr.model.DPOR(ctx, actors.DPOROptions{DepthMax: pr.options.DepthMax, StatesMax: o.MaxStates,
		Deadlock: o.Deadlock, MemoryMax: o.MaxMemory, Progress: stderr, ProgressEvery: o.ProgressEvery})
	restore()
	if err != nil {
		fmt.Fprintf(stderr, "%s -explore: %v\n", o.program(), err)
		return ExitUsage
	}
	reportLimit(o, r.Result, stderr)
	if o.JSON {
		if err := json.NewEncoder(stdout).Encode(r); err != nil {
			fmt.Fprintf(stderr, "%s -explore: %v\n", o.program(), err)
		}
	} else {
		r.WriteSummary(stdout)
		fmt.Fprintf(stdout, "  dpor: executions=%d sleep-blocked=%d events=%d cut-states=%d (states counts states along executions, repeats included)\n",
			r.Executions, r.Blocked, r.Events, r.Cuts)
	}
	if r.Counterexample != nil {
		if err := pr.counterexample(r.Counterexample, stdout); err != nil {
			fmt.Fprintf(stderr, "%s -explore: %v\n", o.program(), err)
			return ExitUsage
		}
	}
	return exitCode(r.Result)
}
