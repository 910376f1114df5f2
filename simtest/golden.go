package simtest

import (
	"bufio"
	"bytes"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/google/go-cmp/cmp"
	"github.com/orrery-sim/orrery/harness"
	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/sim"
)

// RewriteEnv, when set in the environment, makes the conformance suite rewrite
// the files it pins (golden trace hashes, bug tables) instead of failing on a
// difference: ORRERY_REWRITE=1 go test ./... The diff is the review.
const RewriteEnv = "ORRERY_REWRITE"

func rewriting() bool { return os.Getenv(RewriteEnv) != "" }

// GoldenFile is where a protocol package keeps its pinned trace hashes (in a
// folder of its own: scenario.RunDir runs every *.txt file of testdata).
var GoldenFile = filepath.Join("testdata", "golden", "trace-hashes.txt")

// paramShownMax is the longest parameter value a golden key shows as is;
// longer ones (a cluster file) show as a hash of their text.
const paramShownMax = 40

// goldenHeader opens a golden file.
func goldenHeader(p *protocols.Protocol) []string {
	return []string{
		"# Trace hashes of pinned runs of " + p.Name + ", checked by simtest.Conformance.",
		"# " + RewriteEnv + "=1 go test rewrites this file; review its diff.",
		"# config: verdict property events hash",
	}
}

// goldenRow is the line of one run: its config, verdict, property, length and
// trace hash.
func goldenRow(p *protocols.Protocol, cfg harness.Config, r sim.Result) string {
	prop := r.Property
	if prop == "" {
		prop = "-"
	}
	return fmt.Sprintf("%s: %s %s %d %s", goldenKey(p, cfg), r.Verdict, prop, r.Events, r.HashString())
}

// runPinned runs cfg of p, or of the registered protocol cfg names.
func runPinned(p *protocols.Protocol, cfg harness.Config, o harness.RunOptions) (*harness.Outcome, error) {
	if cfg.Protocol == "" || cfg.Protocol == p.Name {
		cfg.Protocol, o.Protocol = p.Name, p
	}
	return harness.Run(cfg, o)
}

// pinLines compares the lines of file with want. With rewrite it writes
// want to the file instead and says so; otherwise a difference is an error
// holding the diff.
func pinLines(file string, want []string, rewrite bool) (rewritten bool, err error) {
	text := strings.Join(want, "\n") + "\n"
	raw, err := os.ReadFile(file)
	if err == nil && string(raw) == text {
		return false, nil
	}
	if rewrite {
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			return false, err
		}
		return true, os.WriteFile(file, []byte(text), 0o644)
	}
	if err != nil {
		return false, fmt.Errorf("%v (%s=1 go test writes it)", err, RewriteEnv)
	}
	return false, fmt.Errorf("%s differs from this run (-file +run); %s=1 go test rewrites it:\n%s", file, RewriteEnv, cmp.Diff(lines(raw), want))
}

func lines(raw []byte) []string {
	var out []string
	s := bufio.NewScanner(bytes.NewReader(raw))
	for s.Scan() {
		out = append(out, s.Text())
	}
	return out
}

// goldenKey renders the fields cfg sets, in a fixed order, as the key of its
// line: "seed=7 faults=swarm bug=figure8".
func goldenKey(p *protocols.Protocol, cfg harness.Config) string {
	var f []string
	add := func(name string, value any, set bool) {
		if set {
			f = append(f, fmt.Sprintf("%s=%v", name, value))
		}
	}
	add("protocol", cfg.Protocol, cfg.Protocol != "" && cfg.Protocol != p.Name)
	add("seed", cfg.Seed, true)
	add("faults", cfg.Faults, cfg.Faults != "")
	add("bug", cfg.Bug, cfg.Bug != "")
	add("nodes", cfg.Nodes, cfg.Nodes != 0)
	add("clients", cfg.Clients, cfg.Clients != 0)
	add("safety", cfg.Safety, cfg.Safety != 0)
	add("liveness", cfg.Liveness, cfg.Liveness != 0)
	add("delay", fmt.Sprintf("%v..%v", cfg.DelayMin, cfg.DelayMax), cfg.DelayMax != 0)
	add("fifo", cfg.FIFO, cfg.FIFO)
	add("ops", cfg.Ops, cfg.Ops != 0)
	add("sched", cfg.Scheduler, cfg.Scheduler != "")
	add("pct-depth", cfg.PCTDepth, cfg.PCTDepth != 0)
	names := make([]string, 0, len(cfg.Params))
	for name := range cfg.Params {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		v := cfg.Params[name]
		if len(v) > paramShownMax || strings.ContainsAny(v, " \n") {
			h := fnv.New64a()
			h.Write([]byte(v))
			v = fmt.Sprintf("#%016x", h.Sum64())
		}
		add(name, v, true)
	}
	return strings.Join(f, " ")
}
