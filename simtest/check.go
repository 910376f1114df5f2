package simtest

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/orrery-sim/orrery/faults"
	"github.com/orrery-sim/orrery/harness"
	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/scheduler"
	"github.com/orrery-sim/orrery/sim"
	"pgregory.net/rapid"
)

// Spec is a system under test and the space a property test draws runs from.
type Spec struct {
	// Protocol builds the world: agents, workload, properties. It need not be
	// registered; Check runs it directly (harness.RunOptions.Protocol).
	Protocol *protocols.Protocol
	// Config is the base of every run: Nodes, Clients, Bug, Safety, Liveness,
	// the network, Params, Ops. Zero fields take the protocol's defaults. Check
	// sets Protocol, Seed, Faults and Scheduler for each case.
	Config harness.Config
	// Faults bounds the fault plans drawn.
	Faults Budget
	// FixedSizes keeps every case at Config's cluster size and clients.
	// Otherwise each case draws its number of servers (from the protocol's
	// MinNodes, but at least 3 — a majority beside a minority — up to
	// Config.Nodes or the default) and clients
	// (from 1 up to Config.Clients or the default), so a failure shrinks to a
	// small cluster too. A Config.Nodes or Config.Clients set here, or
	// Faults.Nodes, is kept fixed.
	FixedSizes bool
	// Params, when non-nil, draws protocol parameters for each case (a
	// workload script, say), merged over Config.Params. They land in the
	// trace header, so a replay rebuilds the same world.
	Params func(t *rapid.T) map[string]string
	// Checks is the number of cases to try (0: rapid's -rapid.checks, 100).
	// A -rapid.checks flag or RAPID_CHECKS variable wins.
	Checks int
	// ShrinkTime bounds shrinking (0: rapid's -rapid.shrinktime, 30s). A
	// -rapid.shrinktime flag or RAPID_SHRINKTIME variable wins.
	ShrinkTime time.Duration
	// TraceDir is where the trace of a failing case is written ("": Check
	// writes to testdata/simtest, Find to simtest in the system's temporary
	// directory).
	TraceDir string
}

// Failure is a failing case found by Check or Find, after shrinking, or by
// Fuzz (RunTape).
type Failure struct {
	Config   harness.Config     // the case: its trace's header config
	Choices  []scheduler.Choice // every answer its scheduler gave
	Schedule Schedule           // the drawn schedule behind the choices (Check, Find)
	// Tape is the fuzz input of a failure of Fuzz or RunTape (nil for Check
	// and Find): the decision tape that answered the run's choices, the
	// swarm nemesis's first, and TapeUsed how many of its bytes the run read
	// (once it ran out, a stream seeded by its hash answered the rest).
	Tape     []byte
	TapeUsed int
	Result   sim.Result
	Cases    int         // cases run up to the first failure, before shrinking
	Trace    string      // the trace file written ("" if writing failed)
	Command  string      // the command that replays the trace
	drawn    faults.Plan // the plan the nemesis drew from Tape (non-nil once known)
}

// Plan is the failing case's fault plan: the plan PlanOf drew, or for a fuzz
// failure the plan the swarm nemesis drew from the tape.
func (f *Failure) Plan() faults.Plan {
	if f.drawn != nil || f.Config.Faults == "none" {
		return f.drawn
	}
	p, _ := faults.ParsePlan(f.Config.Faults) // written by PlanOf: valid
	return p
}

// headline names a failure: the property violated, or where a panic was
// raised.
func headline(r *sim.Result) string {
	if r.Verdict != sim.VerdictPanic {
		return fmt.Sprintf("%s violation of %s", r.Verdict, r.Property)
	}
	if site := r.PanicSite(); site != "" {
		return "panic in " + site
	}
	return "panic"
}

func (f *Failure) String() string {
	r := &f.Result
	plan, schedule := f.Config.Faults, f.Schedule.String()
	switch {
	case f.Tape != nil:
		plan, schedule = f.drawnText(), f.tapeText()
	case f.Choices == nil:
		schedule = "(the trace's choices)"
	}
	return fmt.Sprintf("%s at %v (event %d): %s\n  faults:   %s\n  schedule: %s\n  trace:    %s\n  replay:   %s",
		headline(r), r.At, r.Seq, r.Reason, plan, schedule, f.Trace, f.Command)
}

// drawnText renders the plan the nemesis drew from a fuzz failure's tape, up
// to the failure when it came in the safety phase (the run never reached the
// rest).
func (f *Failure) drawnText() string {
	plan := f.drawn
	switch {
	case plan == nil: // the draw could not be repeated
		return f.Config.Faults
	case len(plan) == 0:
		return f.Config.Faults + ", drew no faults"
	}
	shown := plan
	if r := f.Result; r.Verdict != sim.VerdictLiveness && r.At < f.Config.Safety {
		shown = slices.DeleteFunc(slices.Clone(plan), func(e faults.Entry) bool { return e.At > r.At })
	}
	text := f.Config.Faults + ", drew: " + shown.String()
	if len(shown) == 0 {
		text = f.Config.Faults + ", drew no fault before the failure"
	}
	if later := len(plan) - len(shown); later > 0 {
		text += fmt.Sprintf(" (and %d more after the failure)", later)
	}
	return text
}

// tapeText says what answered a fuzz failure's choices.
func (f *Failure) tapeText() string {
	text := fmt.Sprintf("the fuzz input's decision tape (%d choices", len(f.Choices))
	if f.TapeUsed < len(f.Tape) {
		return text + fmt.Sprintf(", from %d of its %d bytes)", f.TapeUsed, len(f.Tape))
	}
	return text + fmt.Sprintf(": its %d bytes, then a stream seeded by their hash)", len(f.Tape))
}

// CheckProtocol is Check for a registered protocol (s.Protocol is looked up
// by name): its failing traces replay with simrun -replay.
func CheckProtocol(t *testing.T, name string, s Spec) {
	t.Helper()
	p, err := protocols.Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	s.Protocol = p
	Check(t, s)
}

// FindProtocol is Find for a registered protocol (s.Protocol is looked up by
// name).
func FindProtocol(t rapid.TB, name string, s Spec) *Failure {
	t.Helper()
	p, err := protocols.Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	s.Protocol = p
	return Find(t, s)
}

// Check runs s under rapid: each case draws a fault plan, protocol parameters
// and a schedule, runs the world and checks its properties. A failing case is
// shrunk to a minimal plan and schedule, its trace written, and the test
// fails with the failure and the command that replays the trace. rapid's
// fail files under testdata/rapid/ run first: commit them as regression
// tests. With -simtest.replay=FILE, Check replays FILE instead of searching.
func Check(t *testing.T, s Spec) {
	t.Helper()
	if *replayFlag != "" {
		replayInCheck(t, s)
		return
	}
	if s.TraceDir == "" {
		s.TraceDir = filepath.Join("testdata", "simtest")
	}
	f, st, err := searchCampaign(t, s, true)
	if err != nil {
		t.Fatal(err)
	}
	if f != nil {
		t.Fatalf("simtest: %s", f)
	}
	// Coverage is judged over the whole run of cases, not per case: only a
	// sometimes property that held in no case fails the test.
	if err := st.campaign.Err(); err != nil && !t.Failed() {
		t.Fatalf("simtest: %v (%s)", err, strings.Join(st.campaign.Lines(), "; "))
	}
	if t.Failed() { // rapid failed in a way no case explains (a flaky test)
		t.FailNow()
	}
}

// Find runs the search of Check but expects a failure: it returns the shrunk
// failing case, or nil if every case passed, without failing t. Tests of
// planted bugs use it to assert that a bug is found and how small its
// counterexample is. rapid's report of the failure is logged (a passing test
// shows it under -v), and rapid writes its fail file under testdata/rapid/ as
// for Check: committed, it makes the next run find the bug at once.
//
// Under -simtest.replay=FILE, Find replays FILE instead and returns its
// failure, if any, so that the command it prints works for its own test too.
func Find(t rapid.TB, s Spec) *Failure {
	t.Helper()
	if *replayFlag != "" {
		return replayFailure(t, s)
	}
	if s.TraceDir == "" {
		// Not t.TempDir: the printed replay command must outlive the test.
		s.TraceDir = filepath.Join(os.TempDir(), "simtest")
	}
	f, err := search(t, s, false)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// search runs rapid over s. forward says whether rapid's failure report fails t
// (Check) or is only logged (Find).
func search(t rapid.TB, s Spec, forward bool) (*Failure, error) {
	t.Helper()
	f, _, err := searchCampaign(t, s, forward)
	return f, err
}

// searchCampaign is search that also returns its state, whose campaign
// holds the coverage of every case run.
func searchCampaign(t rapid.TB, s Spec, forward bool) (*Failure, *state, error) {
	t.Helper()
	st, err := newState(s)
	if err != nil {
		return nil, nil, err
	}
	if err := selfCheck(st.base); err != nil {
		return nil, nil, err
	}
	tb := &recordingTB{TB: t, forward: forward, key: searchKey(t.Name(), st.proto.Name, st.base.Bug)}
	withRapidFlags(s.Checks, s.ShrinkTime, func() { rapid.Check(tb, st.run) })
	if !tb.failed || st.last == nil {
		return nil, st, nil
	}
	f := st.last
	st.trimPlan(f)
	if err := st.writeTrace(t.Name(), s.TraceDir, f); err != nil {
		return f, st, err
	}
	return f, st, nil
}

// trimPlan drops the plan entries after a failure inside the safety phase:
// the run stops at the failure, so they never applied, and a shrink that ran
// out of time may have left them. The trimmed case is kept only if it runs to
// the same verdict, property and trace hash.
func (st *state) trimPlan(f *Failure) {
	r := f.Result
	if r.Verdict == sim.VerdictLiveness || r.At >= f.Config.Safety {
		return
	}
	plan := f.Plan()
	kept := slices.DeleteFunc(slices.Clone(plan), func(e faults.Entry) bool { return e.At > r.At })
	if len(kept) == len(plan) {
		return
	}
	cfg := f.Config
	cfg.Faults = "none"
	if len(kept) > 0 {
		cfg.Faults = kept.String()
	}
	out, err := harness.Run(cfg, harness.RunOptions{Chooser: scheduler.NewReplay(f.Choices), Protocol: st.proto})
	if err != nil || out.Result.Verdict != r.Verdict || out.Result.Property != r.Property || out.Result.Hash != r.Hash {
		return
	}
	f.Config, f.Result = out.Config, out.Result
}

// state is one search: the resolved base config and the failure being shrunk.
type state struct {
	spec   Spec
	proto  *protocols.Protocol
	base   harness.Config
	budget Budget
	target string // "verdict property" of the first failure: shrinking keeps to it
	// nodesMin and clientsMin are the smallest sizes drawn (equal to base's
	// when sizes are fixed); budgets caches the fault budget of each size.
	nodesMin, clientsMin int
	budgets              map[int]Budget
	cases                int              // cases run until target was set
	last                 *Failure         // the last failing case run: rapid runs the minimal one last
	campaign             harness.Campaign // coverage and fault counters over every case run
}

func newState(s Spec) (*state, error) {
	if s.Protocol == nil || s.Protocol.Setup == nil {
		return nil, errors.New("simtest: Spec.Protocol with a Setup is required")
	}
	cfg := s.Config
	cfg.Protocol = s.Protocol.Name
	cfg, _, err := cfg.ResolveFor(s.Protocol)
	if err != nil {
		return nil, err
	}
	names, spares, tolerates, err := probe(s.Protocol, cfg)
	if err != nil {
		return nil, err
	}
	b := s.Faults
	if b.Nodes == nil {
		b.Nodes = names
	}
	if b.Spares == nil {
		b.Spares = spares
	}
	switch {
	case b.Tolerates == 0:
		b.Tolerates = tolerates
	case b.Tolerates < 0:
		b.Tolerates = 0
	}
	if b.Within == 0 {
		b.Within = cfg.Safety
	}
	if len(b.Nodes) == 0 {
		b.Episodes = -1 // nothing to fault
	}
	st := &state{spec: s, proto: s.Protocol, base: cfg, budget: b, nodesMin: cfg.Nodes, clientsMin: cfg.Clients,
		budgets: map[int]Budget{cfg.Nodes: b}}
	if !s.FixedSizes && s.Faults.Nodes == nil {
		if s.Config.Nodes == 0 {
			st.nodesMin = min(max(s.Protocol.MinNodes, nodesDrawnMin), cfg.Nodes)
		}
		if s.Config.Clients == 0 {
			st.clientsMin = min(1, cfg.Clients)
		}
	}
	return st, nil
}

// nodesDrawnMin is the smallest cluster drawn: one or two servers seldom
// show anything a third does not.
const nodesDrawnMin = 3

// sizes draws a case's cluster size and clients, and the fault budget over
// that cluster's servers.
func (st *state) sizes(t *rapid.T, cfg *harness.Config) (Budget, error) {
	// Sizes are drawn about uniformly, as the swarm nemesis draws them for a
	// sweep (half the cases at full size and the rest leaning small, as
	// before, took several times the sweep's runs on Raft's stale-read and
	// figure8). Shrinking lowers them: a failure shrinks to the smallest
	// cluster that shows it.
	if st.nodesMin < st.base.Nodes || st.clientsMin < st.base.Clients {
		cfg.Nodes = st.nodesMin + spread(t, st.base.Nodes-st.nodesMin, "nodes above the least")
		cfg.Clients = st.clientsMin + spread(t, st.base.Clients-st.clientsMin, "clients above the least")
	}
	if b, ok := st.budgets[cfg.Nodes]; ok {
		return b, nil
	}
	names, spares, tolerates, err := probe(st.proto, *cfg)
	if err != nil {
		return Budget{}, err
	}
	b := st.budget
	b.Nodes = names
	if st.spec.Faults.Spares == nil {
		b.Spares = spares
	}
	if st.spec.Faults.Tolerates == 0 {
		b.Tolerates = tolerates
	}
	if len(b.Nodes) == 0 {
		b.Episodes = -1
	}
	st.budgets[cfg.Nodes] = b
	return b, nil
}

// probe builds the world once, unrun, to learn the names of the servers the
// nemesis may fault, those of the spares a reconfiguration may add (none
// when the protocol does not reconfigure) and how many may be down at once.
func probe(p *protocols.Protocol, cfg harness.Config) (names, spares []string, tolerates int, err error) {
	w := sim.New(sim.Options{Chooser: scheduler.Zero{}, Network: sim.NetworkConfig{DelayMin: cfg.DelayMin, DelayMax: cfg.DelayMax, FIFO: cfg.FIFO}})
	inst, err := p.Setup(w, cfg.ProtocolOptions())
	if err != nil {
		return nil, nil, 0, fmt.Errorf("protocol %s: %v", p.Name, err)
	}
	names = make([]string, len(inst.Servers))
	for i, id := range inst.Servers {
		names[i] = w.Name(id)
	}
	if inst.Reconfigure != nil {
		for _, id := range inst.Spares {
			spares = append(spares, w.Name(id))
		}
	}
	return names, spares, inst.Tolerates, nil
}

// planText is a plan as a string, so that rapid logs its draw as plan text.
type planText string

// run is the rapid property: one case.
func (st *state) run(t *rapid.T) {
	cfg := st.base
	budget, err := st.sizes(t, &cfg)
	if err != nil {
		t.Fatalf("simtest: %v", err)
	}
	plan := rapid.Map(PlanOf(budget), func(p faults.Plan) planText { return planText(p.String()) }).Draw(t, "faults")
	if st.spec.Params != nil {
		params := maps.Clone(cfg.Params)
		if params == nil {
			params = map[string]string{}
		}
		maps.Copy(params, st.spec.Params(t))
		cfg.Params = params
	}
	sched := ScheduleOf().Draw(t, "schedule")
	cfg.Faults, cfg.Seed, cfg.Scheduler = string(plan), sched.Seed, harness.SchedulerRapid
	if plan == "" {
		cfg.Faults = "none"
	}
	if st.target == "" {
		st.cases++
	}
	rec := &scheduler.Recorder{Inner: sched.Chooser()}
	out, err := harness.Run(cfg, harness.RunOptions{Chooser: rec, Protocol: st.proto})
	if err != nil {
		t.Fatalf("simtest: %v", err)
	}
	r := out.Result
	st.campaign.AddResult(&r)
	if !r.Failed() {
		return
	}
	key := r.Verdict.String() + " " + r.Property
	if st.target == "" {
		st.target = key
	}
	if key != st.target {
		// Another failure: shrinking must not wander from the one it shrinks.
		t.Logf("simtest: ignoring %s while shrinking %s", key, st.target)
		return
	}
	st.last = &Failure{Config: out.Config, Choices: rec.Log, Schedule: sched, Result: r, Cases: st.cases}
	t.Fatalf("%s: %s", key, r.Reason)
}

// writeTrace re-runs the failure from its recorded choices with a trace file,
// which proves that the trace replays, and names the replay command.
func (st *state) writeTrace(testName, dir string, f *Failure) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	// The protocol's name too: tests of different packages share names.
	path, err := filepath.Abs(filepath.Join(dir, safeName(st.proto.Name+"-"+testName)+".jsonl"))
	if err != nil {
		return err
	}
	var trace bytes.Buffer
	out, err := harness.Run(f.Config, harness.RunOptions{Chooser: scheduler.NewReplay(f.Choices), Trace: &trace, Protocol: st.proto})
	if err == nil {
		err = os.WriteFile(path, trace.Bytes(), 0o644)
	}
	if err != nil {
		return fmt.Errorf("simtest: writing the trace: %v", err)
	}
	if r := out.Result; r.Verdict != f.Result.Verdict || r.Property != f.Result.Property || r.Hash != f.Result.Hash {
		return fmt.Errorf("simtest: the replay of the failure diverged (%s %s, want %s %s): is the protocol deterministic?",
			r.Verdict, r.Property, f.Result.Verdict, f.Result.Property)
	}
	f.Trace = path
	if err := writeHTML(path); err != nil {
		return err
	}
	if registered, err := protocols.Lookup(st.proto.Name); err == nil && registered == st.proto {
		f.Command = "simrun -replay " + path
	} else {
		f.Command = fmt.Sprintf("go test -run '%s' -simtest.replay=%s   (in the test's package directory)", runPattern(testName), path)
	}
	return nil
}

// runPattern is a -run pattern matching exactly one (sub)test.
func runPattern(name string) string {
	parts := strings.Split(name, "/")
	for i, p := range parts {
		parts[i] = "^" + regexp.QuoteMeta(p) + "$"
	}
	return strings.Join(parts, "/")
}

func safeName(name string) string {
	return strings.Map(func(r rune) rune {
		if r == '-' || r == '_' || r == '.' || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') || ('0' <= r && r <= '9') {
			return r
		}
		return '_'
	}, name)
}
