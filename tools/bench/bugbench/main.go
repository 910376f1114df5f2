package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/orrery-sim/orrery/harness"
	"github.com/orrery-sim/orrery/harness/hunt"
	"github.com/orrery-sim/orrery/protocols"
	_ "github.com/orrery-sim/orrery/protocols/all"
)

type options struct {
	runs       int           // runs (cases, tapes) per base seed
	bases      int           // base seeds per strategy
	cellTime   time.Duration // wall cap per bug and strategy, over all bases
	shrinkTime time.Duration
	shrinkRuns int // shrink run budget (0: the shrinker's default)
	workers    int
	pctDepth   int
	out        string
	only       map[string]bool // protocols to run (nil: all)
	bugs       map[string]bool // bugs to run (nil: all)
	strategies []string
	explore    bool
}

// The strategies bugbench knows beside hunt's.
const (
	strategyRapid = "rapid" // simtest's property search
	strategyTapes = "tapes" // simtest.Fuzz's decision tapes, drawn at random
)

// row is one (protocol, bug, strategy) measurement over the base seeds.
type row struct {
	Protocol string `json:"protocol"`
	Bug      string `json:"bug"`
	Strategy string `json:"strategy"`
	Unit     string `json:"unit"` // runs, cases, tapes or states
	Bound    int    `json:"bound"`
	// Firsts holds, per base seed, the runs to the first failure (0: none
	// within the bound or the wall-time cap).
	Firsts []int `json:"firsts"`
	// Median is the median of Firsts with "not found" above every number
	// (0: the median is not found).
	Median   int     `json:"median"`
	Found    int     `json:"found"` // bases that found it
	TimedOut bool    `json:"timed_out,omitempty"`
	Property string  `json:"property,omitempty"`
	WallMs   float64 `json:"wall_ms"`
	Note     string  `json:"note,omitempty"`
	// The shrink of the first base's failure (random strategy only).
	Seed         uint64  `json:"seed,omitempty"`
	Events       uint64  `json:"events,omitempty"`
	ShrunkEvents uint64  `json:"shrunk_events,omitempty"`
	ShrunkFaults int     `json:"shrunk_faults,omitempty"`
	ShrinkRuns   int     `json:"shrink_runs,omitempty"`
	ShrinkMs     float64 `json:"shrink_ms,omitempty"`
	ShrinkCapped bool    `json:"shrink_capped,omitempty"`
}

func main() {
	o := &options{}
	var only, bugs, strategies string
	testing.Init() // rapid reads testing.Short
	flag.IntVar(&o.runs, "runs", 2000, "runs (rapid cases, tapes) per bug, strategy and base seed")
	flag.IntVar(&o.bases, "bases", 5, "base seeds per bug and strategy (the median is reported)")
	flag.DurationVar(&o.cellTime, "cell-time", 90*time.Second, "wall-time cap per bug and strategy, over all base seeds")
	flag.DurationVar(&o.shrinkTime, "shrink-time", 0, "shrink the random strategy's first failure within this wall time (0: no shrinking; negative: no wall-time bound, so the shrink depends on the run budget alone)")
	flag.IntVar(&o.shrinkRuns, "shrink-runs", 0, "run budget of a shrink (0: the shrinker's default, shrink.DefaultRunsMax)")
	flag.IntVar(&o.workers, "workers", runtime.NumCPU(), "parallel runs")
	flag.IntVar(&o.pctDepth, "pct-depth", harness.PCTDepthDefault, "PCT bug depth")
	flag.StringVar(&o.out, "o", "tools/bench/bugbench/results.json", "write the rows as JSON here")
	flag.StringVar(&only, "protocols", "", "comma-separated protocols (default: all registered)")
	flag.StringVar(&bugs, "bugs", "", "comma-separated planted bugs (default: all of the protocols chosen)")
	flag.StringVar(&strategies, "strategies", "random,novelty,pct,rapid,tapes", "comma-separated strategies")
	flag.BoolVar(&o.explore, "explore", true, "also run the model checker on built-in models with a planted bug")
	flag.Parse()
	o.only, o.bugs = nameSet(only), nameSet(bugs)
	for _, s := range strings.Split(strategies, ",") {
		s = strings.TrimSpace(s)
		if !slices.Contains(hunt.Strategies, s) && s != strategyRapid && s != strategyTapes {
			fmt.Fprintf(os.Stderr, "bugbench: unknown strategy %q\n", s)
			os.Exit(2)
		}
		o.strategies = append(o.strategies, s)
	}
	start := time.Now()
	rows := run(o, os.Stdout)
	overall := printOverall(os.Stdout, rows)
	fmt.Printf("\ntotal wall time %v on %d workers\n", time.Since(start).Round(time.Second), o.workers)
	if err := writeJSON(o, rows, overall, time.Since(start)); err != nil {
		fmt.Fprintln(os.Stderr, "bugbench:", err)
		os.Exit(1)
	}
	fmt.Printf("rows written to %s\n", o.out)
}

func run(o *options, w io.Writer) []row {
	var rows []row
	printHeader(w)
	for _, name := range protocols.Names() {
		p, _ := protocols.Lookup(name)
		if (o.only != nil && !o.only[name]) || len(p.Bugs) == 0 {
			continue
		}
		for _, b := range p.Bugs {
			if o.bugs != nil && !o.bugs[b.Name] {
				continue
			}
			for _, s := range o.strategies {
				var r row
				switch s {
				case strategyRapid:
					r = measureRapid(o, p.Name, b.Name)
				case strategyTapes:
					r = measureTapes(o, p.Name, b.Name)
				default:
					r = measureHunt(o, p.Name, b.Name, s)
				}
				printRow(w, r)
				rows = append(rows, r)
			}
		}
	}
	if o.explore {
		for _, r := range exploreRows(o) {
			printRow(w, r)
			rows = append(rows, r)
		}
	}
	return rows
}

// nameSet is the set of a comma-separated list (nil for an empty one: all).
func nameSet(list string) map[string]bool {
	if list == "" {
		return nil
	}
	set := map[string]bool{}
	for _, name := range strings.Split(list, ",") {
		set[strings.TrimSpace(name)] = true
	}
	return set
}

// median is the median of firsts, with 0 (not found) above every number; 0
// when the median itself is "not found". With an even count it is the lower
// middle, so that it is always one of the measurements.
func median(firsts []int) int {
	s := slices.Clone(firsts)
	slices.SortFunc(s, func(a, b int) int {
		switch {
		case a == b:
			return 0
		case a == 0:
			return 1
		case b == 0:
			return -1
		}
		return a - b
	})
	if len(s) == 0 {
		return 0
	}
	return s[(len(s)-1)/2]
}

func printHeader(w io.Writer) {
	fmt.Fprintf(w, "%-6s %-32s %-9s %8s %6s %-28s %8s  %s\n", "proto", "bug", "strategy", "median", "found", "per base", "wall", "property / shrunk")
}

func printRow(w io.Writer, r row) {
	med := "-"
	if r.Median > 0 {
		med = fmt.Sprint(r.Median)
	}
	var per []string
	for _, f := range r.Firsts {
		if f == 0 {
			per = append(per, "-")
		} else {
			per = append(per, fmt.Sprint(f))
		}
	}
	found := fmt.Sprintf("%d/%d", r.Found, len(r.Firsts))
	if r.TimedOut {
		found += "t"
	}
	tail := r.Property
	if r.ShrunkEvents > 0 {
		capped := ""
		if r.ShrinkCapped {
			capped = "*"
		}
		tail += fmt.Sprintf("; seed %d: %d → %d events%s in %d runs, %.1fs", r.Seed, r.Events, r.ShrunkEvents, capped, r.ShrinkRuns, r.ShrinkMs/1000)
	}
	if r.Note != "" {
		tail += " (" + r.Note + ")"
	}
	fmt.Fprintf(w, "%-6s %-32s %-9s %8s %6s %-28s %7.1fs  %s\n", r.Protocol, r.Bug, r.Strategy, med, found, strings.Join(per, " "), r.WallMs/1000, tail)
}

// score ranks the strategies over every bug: the geometric mean of the
// medians, with a median not found counted as twice the bound, and the bugs
// on which a strategy's median is the lowest (ties shared).
type score struct {
	Strategy string  `json:"strategy"`
	GeoMean  float64 `json:"geo_mean"`
	Best     float64 `json:"best"`
	Missed   int     `json:"missed"` // bugs whose median is not found
}

func writeJSON(o *options, rows []row, overall []score, total time.Duration) error {
	b, err := json.MarshalIndent(struct {
		TotalSeconds float64 `json:"total_seconds"`
		Workers      int     `json:"workers"`
		Runs         int     `json:"runs"`
		Bases        int     `json:"bases"`
		Overall      []score `json:"overall"`
		Rows         []row   `json:"rows"`
	}{total.Seconds(), o.workers, o.runs, o.bases, overall, rows}, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(o.out, append(b, '\n'), 0o644)
}
