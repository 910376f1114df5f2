package cli

import (
	"strings"
	"testing"
)

// TestEveryFlagHasModes keeps flagModes complete: a new flag must say which
// modes it belongs to, or every invocation that sets it is refused.
func TestEveryFlagHasModes(t *testing.T) {
	defined := definedFlags()
	for _, name := range defined {
		if flagModes[name] == 0 {
			t.Errorf("flag -%s belongs to no mode in flagModes", name)
		}
	}
	if len(defined) != len(flagModes) {
		t.Errorf("%d flags defined, %d in flagModes", len(defined), len(flagModes))
	}
}

// TestConflictingModesExit2: flags of another mode, or two modes at once,
// are bad usage, never silently resolved.
func TestConflictingModesExit2(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"explore without model", []string{"-explore"}, "-explore needs -model NAME"},
		{"explore with max-states only", []string{"-explore", "-max-states", "10"}, "-explore needs -model NAME"},
		{"seeds and replay", []string{"-seeds", "1-2", "-replay", "t.jsonl"}, "-replay and -seeds exclude each other"},
		{"seeds and history", []string{"-seeds", "1-2", "-history", "h.edn"}, "-history and -seeds exclude each other"},
		{"seeds and explore", []string{"-seeds", "1-2", "-explore", "-model", "paxos"}, "-explore and -seeds exclude each other"},
		{"rms with protocol", []string{"-explore", "-protocol", "raft", "-rms", "3"}, "-rms does not apply to -explore -protocol"},
		{"rms without explore", []string{"-rms", "3"}, "-rms does not apply to a single run"},
		{"model and protocol", []string{"-explore", "-model", "paxos", "-protocol", "raft"}, "-protocol does not apply to -explore -model"},
		{"config and protocol", []string{"-config", "c.json", "-protocol", "raft"}, "-config and -protocol exclude each other"},
		{"shard without seeds", []string{"-shard", "0/2"}, "-shard does not apply to a single run"},
		{"resume without seeds", []string{"-resume", "r.jsonl"}, "-resume does not apply to a single run"},
		{"results without seeds", []string{"-results", "r.jsonl"}, "-results does not apply to a single run"},
		{"step without replay", []string{"-step"}, "-step does not apply to a single run"},
		{"until in a sweep", []string{"-seeds", "1-2", "-until", "5"}, "-until does not apply to -seeds"},
		{"seed in a sweep", []string{"-seeds", "1-2", "-seed", "5"}, "-seed does not apply to -seeds"},
		{"run flags on replay", []string{"-replay", "t.jsonl", "-nodes", "3"}, "-nodes does not apply to -replay"},
		{"list and more", []string{"-list", "-protocol", "raft"}, "-protocol does not apply to -list"},
		{"shrink and seeds", []string{"-shrink", "-seeds", "1-2"}, "-seeds and -shrink exclude each other"},
		{"o without shrink", []string{"-o", "x.jsonl"}, "-o does not apply to a single run"},
		{"network with a model", []string{"-explore", "-model", "paxos", "-network", "fifo"}, "-network does not apply to -explore -model"},
		{"max-memory on a run", []string{"-max-memory", "1GiB"}, "-max-memory does not apply to a single run"},
		{"bad max-memory", []string{"-explore", "-model", "paxos", "-max-memory", "lots"}, `want a size such as 512MiB`},
		{"timeout on a run", []string{"-timeout", "1s"}, "-timeout does not apply to a single run"},
		{"format on explore", []string{"-explore", "-model", "paxos", "-format", "edn"}, "-format does not apply to -explore -model"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := simrun(t, tt.args...)
			lines := strings.Split(strings.TrimSpace(stderr), "\n")
			if code != 2 || len(lines) != 1 || !strings.Contains(stderr, tt.want) {
				t.Fatalf("exit %d, stderr %q; want exit 2 and one line containing %q", code, stderr, tt.want)
			}
		})
	}
}

// TestMemoryBoundStopsSearches: -max-memory stops -explore and -history with
// exit 3 and a line naming the limit.
func TestMemoryBoundStopsSearches(t *testing.T) {
	code, out, stderr := simrun(t, "-explore", "-protocol", "raft", "-nodes", "3", "-max-memory", "1B")
	if code != 3 || !strings.Contains(out, "limit=memory") || !strings.Contains(stderr, "stopped by -max-memory 1B") {
		t.Fatalf("explore: exit %d\n%s%s", code, out, stderr)
	}
	if !strings.Contains(out, "visited-set-bytes/state=") {
		t.Errorf("the visited-set figure is not labelled as such:\n%s", out)
	}
}
