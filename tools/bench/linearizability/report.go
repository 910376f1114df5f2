package main

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

func report(w io.Writer, results []outcome, c config) {
	fmt.Fprintf(w, "Orrery vs Porcupine: median of up to %d alternating runs per checker (checks over %s run once), timeout %s\n\n",
		c.reps, c.slowTime, c.timeout)
	fmt.Fprintf(w, "| %-24s | %5s | %-8s | %-8s | %-9s | %10s | %10s | %7s |\n", "history", "ops", "expected", "orrery", "porcupine", "orrery", "porcupine", "ratio")
	fmt.Fprintf(w, "|%s|%s|%s|%s|%s|%s|%s|%s|\n", dashes(26), dashes(7), dashes(10), dashes(10), dashes(11), dashes(12), dashes(12), dashes(9))
	mismatches := 0
	for _, o := range results {
		mark := ""
		if o.expected != "-" && o.oursVerdict != o.expected {
			mark = " (!)"
			mismatches++
		}
		fmt.Fprintf(w, "| %-24s | %5d | %-8s | %-8s | %-9s | %10s | %10s | %7s |%s\n", o.name, o.ops, o.expected, o.oursVerdict,
			o.theirsVerdict, round(median(o.oursTimes)), timeoutMark(o.theirsVerdict, median(o.theirsTimes)), ratio(o), mark)
	}
	fmt.Fprintf(w, "\nverdicts differing from the expected ones: %d\n\n", mismatches)
	totals(w, results)
	peaks(w, results)
}

func dashes(n int) string { return strings.Repeat("-", n) }

func timeoutMark(verdict string, d time.Duration) string {
	if verdict == "unknown" {
		return ">=" + round(d).String()
	}
	return round(d).String()
}

func ratio(o outcome) string {
	theirs := median(o.theirsTimes)
	if theirs == 0 {
		return "-"
	}
	return fmt.Sprintf("%.3f", float64(median(o.oursTimes))/float64(theirs))
}

type total struct{ ours, theirs time.Duration }

func (t total) String() string {
	return fmt.Sprintf("orrery %-10s porcupine %-10s ratio %.3f", round(t.ours), round(t.theirs), float64(t.ours)/float64(t.theirs))
}

func sum(results []outcome, keep func(outcome) bool) total {
	var t total
	for _, o := range results {
		if keep(o) {
			t.ours += median(o.oursTimes)
			t.theirs += median(o.theirsTimes)
		}
	}
	return t
}

func totals(w io.Writer, results []outcome) {
	group := func(g string) func(outcome) bool { return func(o outcome) bool { return o.group == g } }
	fmt.Fprintf(w, "totals (sum of medians; a timeout counts as the timeout):\n")
	fmt.Fprintf(w, "  %-28s %s\n", "etcd, all logs", sum(results, group("etcd")))
	var etcd []outcome
	for _, o := range results {
		if o.group == "etcd" {
			etcd = append(etcd, o)
		}
	}
	slices.SortStableFunc(etcd, func(a, b outcome) int { return int(median(b.theirsTimes) - median(a.theirsTimes)) })
	for _, o := range etcd[:min(5, len(etcd))] {
		fmt.Fprintf(w, "  %-28s %s\n", "etcd slowest: "+o.name, sum([]outcome{o}, func(outcome) bool { return true }))
	}
	fmt.Fprintf(w, "  %-28s %s\n", "kv per key, all", sum(results, group("kv")))
	for _, name := range []string{"c10-ok", "c10-bad", "c50-ok", "c50-bad"} {
		fmt.Fprintf(w, "  %-28s %s\n", "kv whole map, "+name, sum(results, func(o outcome) bool { return o.name == "kv-whole/"+name+".txt" }))
	}
	fmt.Fprintln(w)
}

func peaks(w io.Writer, results []outcome) {
	fmt.Fprintf(w, "peak live heap during one check, on the hardest histories:\n")
	for _, o := range results {
		if o.oursPeak == 0 && o.theirsPeak == 0 {
			continue
		}
		fmt.Fprintf(w, "  %-24s orrery %8.1f MiB   porcupine %8.1f MiB\n", o.name, mib(o.oursPeak), mib(o.theirsPeak))
	}
}

func mib(b uint64) float64 { return float64(b) / (1 << 20) }
