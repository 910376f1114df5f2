package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/orrery-sim/orrery/harness"
	"github.com/orrery-sim/orrery/protocols"
	_ "github.com/orrery-sim/orrery/protocols/all"
)

type options struct {
	seeds      uint64
	cellTime   time.Duration
	shrinkTime time.Duration
	workers    int
	pctDepth   int
	out        string
	only       map[string]bool // protocols to run (nil: all)
	explore    bool
	rapid      bool
}

// row is one (protocol, bug, strategy) measurement.
type row struct {
	Protocol     string  `json:"protocol"`
	Bug          string  `json:"bug"`
	Strategy     string  `json:"strategy"`
	Found        bool    `json:"found"`
	First        uint64  `json:"first,omitempty"` // first failing seed, or states explored
	Unit         string  `json:"unit"`            // "seeds" or "states"
	Bound        uint64  `json:"bound"`           // seeds allowed
	TimedOut     bool    `json:"timed_out,omitempty"`
	Property     string  `json:"property,omitempty"`
	WallMs       float64 `json:"wall_ms"`
	Events       uint64  `json:"events,omitempty"`        // of the failing run (steps, for explore)
	ShrunkEvents uint64  `json:"shrunk_events,omitempty"` // after shrinking
	ShrunkFaults int     `json:"shrunk_faults,omitempty"` // fault plan entries after shrinking
	ShrinkMs     float64 `json:"shrink_ms,omitempty"`
	ShrinkCapped bool    `json:"shrink_capped,omitempty"` // shrink's budget ran out
	Note         string  `json:"note,omitempty"`
}

func main() {
	o := &options{}
	var only string
	testing.Init() // rapid reads testing.Short
	flag.Uint64Var(&o.seeds, "seeds", 2000, "seeds per bug and strategy")
	flag.DurationVar(&o.cellTime, "cell-time", time.Minute, "wall-time cap per bug and strategy")
	flag.DurationVar(&o.shrinkTime, "shrink-time", 20*time.Second, "wall-time cap per shrink (0: no shrinking)")
	flag.IntVar(&o.workers, "workers", runtime.NumCPU(), "parallel runs")
	flag.IntVar(&o.pctDepth, "pct-depth", harness.PCTDepthDefault, "PCT bug depth")
	flag.StringVar(&o.out, "o", "bench/bugbench/results.json", "write the rows as JSON here")
	flag.StringVar(&only, "protocols", "", "comma-separated protocols (default: all registered)")
	flag.BoolVar(&o.rapid, "rapid", true, "also run simtest's rapid search (fault plans and schedules drawn and shrunk by rapid)")
	flag.BoolVar(&o.explore, "explore", true, "also run the model checker on built-in models with a planted bug")
	flag.Parse()
	if only != "" {
		o.only = map[string]bool{}
		for _, p := range strings.Split(only, ",") {
			o.only[strings.TrimSpace(p)] = true
		}
	}
	start := time.Now()
	rows := run(o, os.Stdout)
	fmt.Printf("\ntotal wall time %v on %d workers\n", time.Since(start).Round(time.Second), o.workers)
	if err := writeJSON(o.out, rows, time.Since(start)); err != nil {
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
			for _, s := range strategies(o) {
				r := measure(o, p.Name, b.Name, s)
				printRow(w, r)
				rows = append(rows, r)
			}
			if o.rapid {
				r := measureRapid(o, p.Name, b.Name)
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

// strategy is a way to search seeds: the scheduler part of a config.
type strategy struct {
	name      string
	scheduler string
	depth     int
}

func strategies(o *options) []strategy {
	return []strategy{
		{name: "seeded+swarm"},
		{name: fmt.Sprintf("pct(d=%d)+swarm", o.pctDepth), scheduler: harness.SchedulerPCT, depth: o.pctDepth},
	}
}

func printHeader(w io.Writer) {
	fmt.Fprintf(w, "%-6s %-32s %-15s %-6s %10s %9s %8s %-24s %s\n",
		"proto", "bug", "strategy", "found", "first", "wall", "events", "shrunk events/faults", "property")
}

func printRow(w io.Writer, r row) {
	found, first := "no", fmt.Sprintf("-/%d", r.Bound)
	if r.Found {
		found, first = "yes", fmt.Sprintf("%d %s", r.First, r.Unit)
	} else if r.TimedOut {
		found = "no (time)"
	}
	shrunk := "-"
	switch {
	case r.ShrunkEvents > 0:
		capped := ""
		if r.ShrinkCapped {
			capped = "*"
		}
		shrunk = fmt.Sprintf("%d / %d%s", r.ShrunkEvents, r.ShrunkFaults, capped)
		if r.ShrinkMs > 0 {
			shrunk += fmt.Sprintf(" (%.1fs)", r.ShrinkMs/1000)
		}
	case r.Note != "":
		shrunk = r.Note
	}
	events := "-"
	if r.Events > 0 {
		events = fmt.Sprint(r.Events)
	}
	fmt.Fprintf(w, "%-6s %-32s %-15s %-6s %10s %8.1fs %8s %-24s %s\n",
		r.Protocol, r.Bug, r.Strategy, found, first, r.WallMs/1000, events, shrunk, r.Property)
}

func writeJSON(path string, rows []row, total time.Duration) error {
	b, err := json.MarshalIndent(struct {
		TotalSeconds float64 `json:"total_seconds"`
		Rows         []row   `json:"rows"`
	}{total.Seconds(), rows}, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}
