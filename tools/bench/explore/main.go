package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math/bits"
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/orrery-sim/orrery/explore"
	"github.com/orrery-sim/orrery/explore/models/twophase"
)

// hashSlack leaves pan's hash table at most half full.
const hashSlack = 2

func main() {
	os.Exit(benchMain(os.Args[1:], os.Stdout, os.Stderr))
}

func benchMain(args []string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("explore-bench", flag.ContinueOnError)
	flags.SetOutput(stderr)
	rmsList := flags.String("rms", "7,8,9", "comma-separated numbers of resource managers")
	workers := flags.Int("workers", runtime.GOMAXPROCS(0), "checker goroutines")
	useSpin := flags.Bool("spin", true, "also run SPIN when spin and gcc are installed")
	printPromela := flags.Int("promela", 0, "print the Promela model for this many resource managers and exit")
	withProtocols := flags.Bool("protocols", true, "also explore the protocols' own agents, with and without partial-order reduction")
	if err := flags.Parse(args); err != nil {
		return 2
	}
	if *printPromela > 0 {
		fmt.Fprint(stdout, promela(*printPromela))
		return 0
	}
	var sizes []int
	for _, f := range strings.Split(*rmsList, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 || n > twophase.RMsMax {
			fmt.Fprintf(stderr, "explore-bench: bad -rms entry %q\n", f)
			return 2
		}
		sizes = append(sizes, n)
	}
	withSpin := *useSpin && spinAvailable()
	if !withSpin {
		fmt.Fprintln(stdout, "SPIN not run (spin or gcc not on PATH, or -spin=false)")
	}
	fmt.Fprintf(stdout, "TwoPhase.tla, exhaustive BFS, fingerprint mode, %d workers, GOMAXPROCS=%d\n", *workers, runtime.GOMAXPROCS(0))
	table := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(table, "RMs\tour states\tSPIN states\tour s\tSPIN s\tour states/s\tSPIN states/s\tratio\tour cpu s\tSPIN cpu s\tbytes/state\t")
	mismatch := false
	var spinFlags string
	for _, n := range sizes {
		cpuBefore := cpuSeconds()
		r, err := explore.Check[twophase.State, twophase.Action](context.Background(), twophase.New(n), explore.Options{Workers: *workers})
		cpu := cpuSeconds() - cpuBefore
		if err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
		row := fmt.Sprintf("%d\t%d\t", n, r.States)
		if !withSpin {
			fmt.Fprintf(table, "%s-\t%.3f\t-\t%.0f\t-\t-\t%.3f\t-\t%.1f\t\n", row, r.Seconds, r.StatesPerSec, cpu, r.BytesPerState)
			continue
		}
		s, err := runSpin(n, bits.Len64(uint64(r.States)*hashSlack))
		if err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
		spinFlags = s.flags
		mismatch = mismatch || s.states != r.States
		spinRate := float64(s.states) / s.seconds
		fmt.Fprintf(table, "%s%d\t%.3f\t%.3f\t%.0f\t%.0f\t%.2fx\t%.3f\t%.3f\t%.1f\t\n",
			row, s.states, r.Seconds, s.seconds, r.StatesPerSec, spinRate, r.StatesPerSec/spinRate, cpu, s.cpuSeconds, r.BytesPerState)
	}
	table.Flush()
	if spinFlags != "" {
		fmt.Fprintf(stdout, "SPIN: %s\ntimes: SPIN's is pan's own elapsed time (the pan process's wall time below 1 s), ours is Check's wall time; ratio = our states/s over SPIN's; cpu = user+system seconds\n", spinFlags)
	}
	if mismatch {
		fmt.Fprintln(stderr, "explore-bench: state counts differ from SPIN's")
		return 1
	}
	if *withProtocols {
		fmt.Fprintf(stdout, "\nprotocols' own agents, BFS with their default bounds, %d workers\n", *workers)
		return benchProtocols(stdout, stderr, *workers)
	}
	return 0
}

// cpuSeconds is the user and system time this process has used so far.
func cpuSeconds() float64 {
	var usage syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &usage); err != nil {
		return 0
	}
	return time.Duration(usage.Utime.Nano() + usage.Stime.Nano()).Seconds()
}
