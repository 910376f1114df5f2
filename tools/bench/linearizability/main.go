package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/anishathalye/porcupine"
	lin "github.com/orrery-sim/orrery/checkers/linearizability"
)

type config struct {
	data     string
	reps     int
	timeout  time.Duration
	slowTime time.Duration
	only     *regexp.Regexp
	memFiles int
}

// A case is one history checked one way by both checkers.
type benchCase struct {
	name     string
	group    string // etcd, kv, kv-whole
	ops      int
	expected string // from Porcupine's tests; "-" when they have none
	ours     func(ctx context.Context, timeout time.Duration) string
	theirs   func(timeout time.Duration) string
}

type outcome struct {
	benchCase
	oursVerdict, theirsVerdict string
	oursTimes, theirsTimes     []time.Duration
	oursPeak, theirsPeak       uint64
}

func main() {
	var c config
	var only string
	flag.StringVar(&c.data, "data", "", "Porcupine's test_data directory (default: found with go list)")
	flag.IntVar(&c.reps, "reps", 5, "repetitions per history and checker")
	flag.DurationVar(&c.timeout, "timeout", 60*time.Second, "per-check timeout; a timeout is the verdict unknown")
	flag.DurationVar(&c.slowTime, "slow", 5*time.Second, "a check slower than this is not repeated")
	flag.StringVar(&only, "only", "", "regexp: only the cases whose name matches")
	flag.IntVar(&c.memFiles, "mem", 4, "measure peak heap on this many of the hardest histories")
	flag.Parse()
	c.only = regexp.MustCompile(only)
	if c.data == "" {
		c.data = findData()
	}
	cases, err := loadCases(c.data)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	cases = slices.DeleteFunc(cases, func(bc benchCase) bool { return !c.only.MatchString(bc.name) })
	results := make([]outcome, len(cases))
	for i, bc := range cases {
		results[i] = measure(c, bc)
		fmt.Fprintf(os.Stderr, "%-24s ours %-8s %10s  porcupine %-8s %10s\n", bc.name,
			results[i].oursVerdict, round(median(results[i].oursTimes)), results[i].theirsVerdict, round(median(results[i].theirsTimes)))
	}
	measurePeaks(c, results)
	report(os.Stdout, results, c)
}

// findData asks the go command where Porcupine's module is.
func findData() string {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/anishathalye/porcupine").Output()
	dir := strings.TrimSpace(string(out))
	if err != nil || dir == "" {
		fmt.Fprintln(os.Stderr, "cannot locate Porcupine's module; run `go mod download` or pass -data")
		os.Exit(2)
	}
	return filepath.Join(dir, "test_data")
}

// Porcupine's tests expect these etcd logs to be linearizable, the rest not
// (etcd_095.log is empty and has no test).
var etcdExpectedOk = []int{2, 5, 7, 18, 25, 31, 38, 45, 48, 49, 51, 53, 56, 67, 75, 76, 80, 87, 92, 98, 100, 101, 102}

func loadCases(data string) ([]benchCase, error) {
	logs, _ := filepath.Glob(filepath.Join(data, "jepsen", "etcd_*.log"))
	kvs, _ := filepath.Glob(filepath.Join(data, "kv", "*.txt"))
	if len(logs) == 0 || len(kvs) == 0 {
		return nil, fmt.Errorf("no histories under %s", data)
	}
	var cases []benchCase
	for _, f := range logs {
		bc, err := etcdCase(f)
		if err != nil {
			return nil, err
		}
		cases = append(cases, bc)
	}
	for _, whole := range []bool{false, true} {
		for _, f := range kvs {
			bc, err := kvCase(f, whole)
			if err != nil {
				return nil, err
			}
			cases = append(cases, bc)
		}
	}
	return cases, nil
}

func parse(file, format string) ([]lin.Record, error) {
	fh, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	records, _, err := lin.ParseHistory(filepath.Base(file), fh, format)
	return records, err
}

func etcdCase(file string) (benchCase, error) {
	records, err := parse(file, lin.FormatEtcdLog)
	if err != nil {
		return benchCase{}, err
	}
	nm, _ := lin.Lookup("etcd")
	check, err := nm.Prepare(file, records)
	if err != nil {
		return benchCase{}, err
	}
	events := etcdEvents(records)
	n := atoi(strings.TrimSuffix(strings.TrimPrefix(filepath.Base(file), "etcd_"), ".log"))
	expected := "illegal"
	if slices.Contains(etcdExpectedOk, n) {
		expected = "ok"
	}
	if n == 95 {
		expected = "-"
	}
	return benchCase{
		name: filepath.Base(file), group: "etcd", ops: len(records), expected: expected,
		ours: func(ctx context.Context, timeout time.Duration) string {
			return check(ctx, lin.Options{Timeout: timeout}).Verdict.String()
		},
		theirs: func(timeout time.Duration) string {
			return porcupineVerdict(porcupine.CheckEventsTimeout(porcupineEtcdModel, events, timeout))
		},
	}, nil
}

func kvCase(file string, whole bool) (benchCase, error) {
	records, err := parse(file, lin.FormatPorcupineKV)
	if err != nil {
		return benchCase{}, err
	}
	named := "kv"
	theirModel, group := porcupineKVModel, "kv"
	if whole {
		named, theirModel, group = "kv-unpartitioned", porcupineKVWholeModel, "kv-whole"
	}
	nm, _ := lin.Lookup(named)
	check, err := nm.Prepare(file, records)
	if err != nil {
		return benchCase{}, err
	}
	events := kvEvents(records)
	expected := "ok"
	if strings.Contains(file, "bad") {
		expected = "illegal"
	}
	return benchCase{
		name: group + "/" + filepath.Base(file), group: group, ops: len(records), expected: expected,
		ours: func(ctx context.Context, timeout time.Duration) string {
			return check(ctx, lin.Options{Timeout: timeout}).Verdict.String()
		},
		theirs: func(timeout time.Duration) string {
			return porcupineVerdict(porcupine.CheckEventsTimeout(theirModel, events, timeout))
		},
	}, nil
}

func porcupineVerdict(r porcupine.CheckResult) string {
	return strings.ToLower(string(r))
}

func atoi(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		panic(err)
	}
	return n
}
