package cli

import (
	"flag"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/orrery-sim/orrery/sim"
)

// TestEveryFlagHasModes keeps flagModes complete: a new flag must say which
// modes it belongs to, or every invocation that sets it is refused.
func TestEveryFlagHasModes(t *testing.T) {
	o, err := parseFlags(nil, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	var defined []string
	o.flags.VisitAll(func(f *flag.Flag) { defined = append(defined, f.Name) })
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

// TestFlagValuesValidated: durations in the one syntax, counts in range,
// parameters declared, each refused up front with exit 2.
func TestFlagValuesValidated(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"bare seconds", []string{"-time", "500"}, `-time: duration "500" has no unit`},
		{"bare liveness", []string{"-liveness", "5"}, `-liveness: duration "5" has no unit`},
		{"bare delay", []string{"-delay", "1..10"}, `-delay: duration "1" has no unit`},
		{"negative delay", []string{"-delay", "-1ms..1ms"}, "-delay: negative duration"},
		{"bare timeout", []string{"-explore", "-model", "paxos", "-timeout", "30"}, `duration "30" has no unit`},
		{"bare shrink-time", []string{"-shrink", "-shrink-time", "30"}, `duration "30" has no unit`},
		{"zero time", []string{"-time", "0s"}, "-time: the safety phase must be longer than 0"},
		{"too many clients", []string{"-protocol", "raft", "-clients", "2000"}, "protocol raft takes 1 to 256 clients (0: its default, 3), got 2000"},
		{"too many workers", []string{"-seeds", "1-2", "-workers", "1000000000"}, "-workers: want 1 to 1024, got 1000000000"},
		{"negative shrink-runs", []string{"-shrink", "-o", "x.jsonl", "-shrink-runs", "-1"}, "-shrink-runs: want 0"},
		{"too many ops", []string{"-protocol", "raft", "-ops", "100000000"}, "operations per client, got 100000000"},
		{"too many nodes in a sweep", []string{"-protocol", "raft", "-nodes", "10", "-seeds", "1-2"}, "needs 1 to 9 nodes, got 10"},
		{"unknown param", []string{"-protocol", "raft", "-param", "q1=2"}, `protocol raft has no parameter "q1" (known: prevote, checkquorum, spares, snapshot-every, heartbeat-ms, election-timeout-ms, client-retry-ms)`},
		{"param of none", []string{"-protocol", "chat", "-param", "prevote=true"}, `protocol chat has no parameter "prevote" (it takes none)`},
		{"bad bool param", []string{"-protocol", "raft", "-param", "prevote=1"}, `want true or false, got "1"`},
		{"intersecting quorums", []string{"-protocol", "paxos", "-param", "q1=2", "-param", "q2=2"}, "do not intersect"},
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
	o, err := parseFlags([]string{"-time", "1m30s", "-liveness", "1.5s", "-delay", "500us..2ms"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	got := []sim.Time{o.cfg.Safety, o.cfg.Liveness, o.cfg.DelayMin, o.cfg.DelayMax}
	if diff := cmp.Diff([]sim.Time{90 * sim.Second, 1500 * sim.Millisecond, 500 * sim.Microsecond, 2 * sim.Millisecond}, got); diff != "" {
		t.Errorf("durations (-want +got):\n%s", diff)
	}
}

// TestHelpExampleParamWorks: the -param example of the help text and of
// -list runs (paxos q1=2 picks the q2 that meets it), and the banner shows
// the declared parameters with the values used.
func TestHelpExampleParamWorks(t *testing.T) {
	code, out, stderr := simrun(t, "-protocol", "paxos", "-param", "q1=2", "-seed", "1", "-faults", "none", "-time", "1s", "-liveness", "1s")
	if code != 0 || !strings.Contains(out, "param.q1     2\n") || !strings.Contains(out, "param.q2     4\n") {
		t.Fatalf("exit %d\n%s%s", code, out, stderr)
	}
	code, out, _ = simrun(t, "-protocol", "raft", "-param", "prevote=true", "-seed", "1", "-faults", "none", "-time", "1s", "-liveness", "1s")
	if code != 0 || !strings.Contains(out, "param.prevote true\n") || !strings.Contains(out, "param.checkquorum true\n") {
		t.Fatalf("raft prevote: exit %d\n%s", code, out)
	}
	code, out, _ = simrun(t, "-protocol", "raft", "-param", "heartbeat-ms=25", "-seed", "1", "-faults", "none", "-time", "1s", "-liveness", "1s")
	if code != 0 || !strings.Contains(out, "param.heartbeat-ms 25\n") {
		t.Fatalf("raft heartbeat-ms: exit %d\n%s", code, out)
	}
	if code, _, stderr := simrun(t, "-protocol", "raft", "-param", "heartbeat-ms=300", "-seed", "1"); code != 2 || !strings.Contains(stderr, "election-timeout-ms") {
		t.Errorf("heartbeat-ms=300 (not below the election timeout): exit %d, stderr %q; want 2 naming election-timeout-ms", code, stderr)
	}
	_, list, _ := simrun(t, "-list")
	for _, want := range []string{"-param prevote=BOOL", "(default false)", "-param q1=INT", "clients 3, 0..256", "-param heartbeat-ms=INT", "-param election-timeout-ms=INT"} {
		if !strings.Contains(list, want) {
			t.Errorf("-list lacks %q:\n%s", want, list)
		}
	}
}
