package harness

import (
	"fmt"
	"slices"
	"strings"

	"github.com/orrery-sim/orrery/sim"
)

// Campaign aggregates what no single run can judge over the runs of a sweep
// or a property test: in how many runs each Sometimes property held (only
// one that never held in the whole campaign fails it), and the fault
// counters (how often each fault kind happened, and in how many runs), the
// coverage model of FoundationDB's and Antithesis' simulators. Harness runs
// leave Sometimes properties to it (sim.World.JudgeSometimesOverCampaign); a
// single run is a campaign of one.
type Campaign struct {
	Runs      int
	names     []string // Sometimes properties, in first-seen order
	held      map[string]int
	faults    map[string]uint64
	faultRuns map[string]int
}

// Add counts one run: the Sometimes properties that held in it and those
// that did not, and its fault counters.
func (c *Campaign) Add(held, notHeld []string, faults map[string]uint64) {
	if c.held == nil {
		c.held, c.faults, c.faultRuns = map[string]int{}, map[string]uint64{}, map[string]int{}
	}
	c.Runs++
	for _, name := range append(slices.Clone(held), notHeld...) {
		if _, ok := c.held[name]; !ok {
			c.names = append(c.names, name)
			c.held[name] = 0
		}
	}
	for _, name := range held {
		c.held[name]++
	}
	for kind, n := range faults { // lint:ordered sums commute
		c.faults[kind] += n
		if n > 0 {
			c.faultRuns[kind]++
		}
	}
}

// AddResult counts one run's result.
func (c *Campaign) AddResult(r *sim.Result) {
	held, notHeld := CoverageOf(r)
	c.Add(held, notHeld, r.Stats.Faults)
}

// CoverageOf splits a run's Sometimes properties into those that held and
// those that did not.
func CoverageOf(r *sim.Result) (held, notHeld []string) {
	for _, cv := range r.Coverage {
		if cv.Held {
			held = append(held, cv.Name)
		} else {
			notHeld = append(notHeld, cv.Name)
		}
	}
	return held, notHeld
}

// Never lists the Sometimes properties that held in no run.
func (c *Campaign) Never() []string {
	var out []string
	for _, name := range c.names {
		if c.held[name] == 0 {
			out = append(out, name)
		}
	}
	return out
}

// Err is the campaign's verdict on coverage: nil when every Sometimes
// property held in some run.
func (c *Campaign) Err() error {
	never := c.Never()
	if len(never) == 0 {
		return nil
	}
	return fmt.Errorf("sometimes property %s never held in %d %s", strings.Join(never, ", "), c.Runs, plural(c.Runs, "run"))
}

// Lines renders the report: per Sometimes property the runs it held in,
// then the fault kinds with their totals and the runs they occurred in.
func (c *Campaign) Lines() []string {
	var out []string
	for _, name := range c.names {
		out = append(out, fmt.Sprintf("%s held in %d of %d", name, c.held[name], c.Runs))
	}
	kinds := make([]string, 0, len(c.faults))
	for k := range c.faults { // lint:ordered sorted below
		kinds = append(kinds, k)
	}
	slices.Sort(kinds)
	if len(kinds) > 0 {
		parts := make([]string, len(kinds))
		for i, k := range kinds {
			parts[i] = fmt.Sprintf("%s %d (%d)", k, c.faults[k], c.faultRuns[k])
		}
		out = append(out, "faults (runs): "+strings.Join(parts, ", "))
	}
	return out
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}
