package shrink

import (
	"fmt"
	"slices"

	"github.com/orrery-sim/orrery/faults"
	"github.com/orrery-sim/orrery/harness"
	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/scheduler"
	"github.com/orrery-sim/orrery/sim"
	"github.com/orrery-sim/orrery/traces"
)

// fewerNodes tries the protocol's smallest cluster first, then larger ones, up
// to one less than now. Plan entries that name a removed node lose it.
func (s *shrinker) fewerNodes() {
	for n := max(s.proto.MinNodes, 1); n < s.cur.Config.Nodes && s.budgetLeft(); n++ {
		c := s.cur
		c.Config.Nodes = n
		fewer := func(now, then Size) bool { return now.Nodes < then.Nodes }
		if c, ok := s.restrictPlan(c); ok && s.offerSmaller(c, fmt.Sprintf("%d nodes", n), fewer) {
			return
		}
	}
}

// fewerClients tries one client, then more, up to one less than now. (Zero in
// a Config means the protocol's default, so one is the least.)
func (s *shrinker) fewerClients() {
	for n := 1; n < s.cur.Config.Clients && s.budgetLeft(); n++ {
		c := s.cur
		c.Config.Clients = n
		fewer := func(now, then Size) bool { return now.Clients < then.Clients }
		if c, ok := s.restrictPlan(c); ok && s.offerSmaller(c, fmt.Sprintf("%d clients", n), fewer) {
			return
		}
	}
}

// restrictPlan drops from c's explicit plan the names that c's world no longer
// has (a removed node), and the entries left without a target.
func (s *shrinker) restrictPlan(c Case) (Case, bool) {
	if isDrawn(c.Config.Faults) {
		return c, true
	}
	plan, err := Plan(s.cur)
	if err != nil {
		return c, false
	}
	w, _, _, err := setup(c)
	if err != nil {
		return c, false
	}
	names := map[string]bool{}
	for id := 0; id < w.Len(); id++ {
		names[w.Name(sim.NodeID(id))] = true
		names[w.BoxOf(sim.NodeID(id))] = true
	}
	c.Config.Faults = planText(restrict(plan, func(name string) bool { return names[name] }))
	return c, true
}

// restrict keeps the entries whose names are all valid; partition groups lose
// invalid names, and a partition left with fewer than two groups goes.
func restrict(p faults.Plan, valid func(string) bool) faults.Plan {
	var out faults.Plan
	for _, e := range p {
		f := e.Fault
		if (f.Node != "" && !valid(f.Node)) || (f.From != "" && !valid(f.From)) || (f.To != "" && !valid(f.To)) {
			continue
		}
		if len(f.Groups) > 0 {
			var groups [][]string
			for _, g := range f.Groups {
				if kept := slices.DeleteFunc(slices.Clone(g), func(n string) bool { return !valid(n) }); len(kept) > 0 {
					groups = append(groups, kept)
				}
			}
			if len(groups) < 2 {
				continue
			}
			f.Groups = groups
		}
		e.Fault = f
		out = append(out, e)
	}
	return out
}

// fewerOps caps the operations per client: 1, 2, 4, ... below the current cap
// (or the whole history), then a binary search below the first cap that fails.
// A protocol that does not honour the cap shows it (a client issues more
// operations than the cap allows; operations the nemesis requests, such as a
// reconfiguration, are nobody's) and the pass is not tried again.
func (s *shrinker) fewerOps() {
	limit := s.cur.Config.Ops
	if limit == 0 {
		limit = s.size.Ops
	}
	if s.opsIgnored || limit <= 1 {
		return
	}
	capAt := func(k int) bool {
		c := s.cur
		c.Config.Ops = k
		nc, size, ok := s.try(c, s.before.Events)
		if ok && size.clientOpsMax > k {
			s.opsIgnored = true
		}
		// A cap above what clients issue changes nothing: not progress.
		if !ok || s.opsIgnored || (size.Ops >= s.size.Ops && size.Events >= s.size.Events) {
			return false
		}
		s.accept(nc, size, fmt.Sprintf("at most %d operations per client", k))
		return true
	}
	lo := 0 // caps up to lo are known not to fail
	for k := 1; k < limit && !s.opsIgnored && s.budgetLeft(); k *= 2 {
		if capAt(k) {
			for hi := k; hi-lo > 1 && !s.opsIgnored; {
				mid := (lo + hi) / 2
				if capAt(mid) {
					hi = mid
				} else {
					lo = mid
				}
			}
			return
		}
		lo = k
	}
}

// skipOps leaves client operations out of the workload (Config.Skip) by
// delta debugging over the operations of the current history, for a protocol
// whose clients honour it (protocols.Protocol.Skips): the operations before
// the ones a story needs are noise that an operation cap, which cuts only the
// last ones, cannot remove. A skipped operation still takes its draws and its
// place in its client's count, so the client's later operations keep their
// numbers and values. A candidate counts only if it fails the same way in
// fewer events, or as many with fewer operations.
func (s *shrinker) skipOps() {
	if !s.proto.Skips {
		return
	}
	refs, ok := s.historyRefs()
	if !ok || len(refs) == 0 || len(refs) > skipOpsMax {
		return
	}
	skipped, _ := protocols.ParseOpSet(s.cur.Config.Skip)
	ddmin(len(refs), func(keep []int) bool {
		kept := make(map[int]bool, len(keep))
		for _, k := range keep {
			kept[k] = true
		}
		skip := slices.Clone(skipped)
		for i, r := range refs {
			if !kept[i] {
				skip = append(skip, r)
			}
		}
		c := s.cur
		c.Config.Skip = protocols.NewOpSet(skip).String()
		nc, size, ok := s.try(c, s.size.Events)
		if !ok || (size.Events == s.size.Events && size.Ops >= s.size.Ops) {
			return false
		}
		s.accept(nc, size, fmt.Sprintf("%d of %d operations kept", len(keep), len(refs)))
		return true
	})
}

// skipOpsMax is the most operations skipOps delta-debugs over: a longer
// history is first cut by the operation cap and the sweeps.
const skipOpsMax = 100

// historyRefs runs the current case and names each client operation of its
// history by client and sequence number: a client's operations in the
// history are its sequence numbers in order, less those it skipped.
func (s *shrinker) historyRefs() ([]protocols.OpRef, bool) {
	if !s.budgetLeft() {
		return nil, false
	}
	s.runs++
	_, out, aborted, err := bounded(s.cur.Config, scheduler.NewReplay(s.cur.Choices), 0)
	if err != nil || aborted {
		return nil, false
	}
	skipped, _ := protocols.ParseOpSet(s.cur.Config.Skip)
	isSkipped := func(client string, seq uint64) bool {
		_, ok := skipped.Skipped(client, seq)
		return ok
	}
	next := map[string]uint64{}
	var refs []protocols.OpRef
	for _, op := range out.World.History().Ops {
		if op.Client == sim.External {
			continue
		}
		name := out.World.Name(op.Client)
		seq := next[name] + 1
		for isSkipped(name, seq) {
			seq++
		}
		next[name] = seq
		ref := protocols.OpRef{Client: name, Seq: seq}
		if op.Done {
			ref.For = op.Return - op.Call
		}
		refs = append(refs, ref)
	}
	return refs, true
}

// tidySkip drops from Config.Skip the operations a client never reaches: past
// the operation cap (a skipped operation counts for it, so a client stops
// before those), then past each client's last operation in the history
// (skipped when the run no longer reached them, or reaching them only as a
// pause), each if the case still fails the same way in no more events
// without them: a skip list that names only operations the story passes over
// reads better.
func (s *shrinker) tidySkip() {
	if s.cur.Config.Skip == "" {
		return
	}
	if opsCap := s.cur.Config.Ops; opsCap > 0 {
		s.dropSkipped(func(r protocols.OpRef) bool { return r.Seq > uint64(opsCap) }, "past the operation cap")
	}
	refs, ok := s.historyRefs()
	if !ok {
		return
	}
	last := map[string]uint64{}
	for _, r := range refs {
		last[r.Client] = max(last[r.Client], r.Seq)
	}
	s.dropSkipped(func(r protocols.OpRef) bool { return r.Seq > last[r.Client] }, "past the story")
}

// dropSkipped offers the current case without the skipped operations drop
// selects.
func (s *shrinker) dropSkipped(drop func(protocols.OpRef) bool, what string) {
	skipped, _ := protocols.ParseOpSet(s.cur.Config.Skip)
	kept := slices.DeleteFunc(slices.Clone(skipped), drop)
	if len(kept) == len(skipped) {
		return
	}
	c := s.cur
	c.Config.Skip = kept.String()
	if nc, size, ok := s.try(c, s.size.Events); ok {
		s.accept(nc, size, fmt.Sprintf("%d skipped operations %s dropped from the skip list", len(skipped)-len(kept), what))
	}
}

// laterClients starts each agent that is not a server (a workload client)
// as late as the run still fails (Config.StartAt, sim.World.StartLate): a
// client that starts before the cluster has a leader retries until it has
// one, and each retry is events the story does not need. Whether a start
// keeps the story is not monotone in the start (a client that starts later
// may meet a leader, or just miss one), so for each client it tries the
// starts that move its first attempt of its first operation to one of that
// operation's later attempts (the retry that got through), and starts on a
// grid's inner points, the span from its start now to the failure (or the
// end of the safety phase, if sooner) cut into laterStarts parts. Each
// start is tried twice: with the log as it is, and time-aligned
// (alignStart), the answers of the questions the later start removes
// taken out of the log, so that the client's later messages meet the
// delays and losses they met before. Of those that still fail in no more
// events than now, the one with the fewest events (then the latest) is
// kept if it has fewer events than now, or as many in a run cut at a given
// event (Config.EndAfter): such a run is as long wherever its story ends,
// and endAtFailure then cuts it after the shorter story.
func (s *shrinker) laterClients() {
	firsts, ok := s.firstOps()
	if !ok {
		return
	}
	for _, name := range s.clientNames() {
		starts, err := harness.ParseStarts(s.cur.Config.StartAt)
		if err != nil {
			return
		}
		from := starts.Of(name)
		first := firsts[name]
		var tries []sim.Time
		for _, t := range first.retriesOrNone() {
			tries = append(tries, from+t) // to the nanosecond: the first attempt where the retry was
		}
		// A client starts within the safety phase (harness.Config.StartAt),
		// and before the failure.
		last := min(s.size.At, s.cur.Config.Safety)
		for k := sim.Time(1); k < laterStarts; k++ {
			tries = append(tries, (from+(last-from)*k/laterStarts)/sim.Millisecond*sim.Millisecond)
		}
		slices.Sort(tries)
		var best Case
		var bestSize Size
		var bestAt sim.Time
		var bestAligned bool
		for _, at := range slices.Compact(tries) {
			if at <= from || at >= last {
				continue
			}
			c := s.cur
			c.Config.StartAt = starts.With(name, at).String()
			candidates := []Case{c}
			if ac, ok := alignStart(c, first, at-from); ok {
				candidates = append(candidates, ac)
			}
			for i, c := range candidates {
				if !s.budgetLeft() {
					break
				}
				if nc, size, ok := s.try(c, s.size.Events); ok && (bestAt == 0 || size.Events <= bestSize.Events) {
					best, bestSize, bestAt, bestAligned = nc, size, at, i == 1
				}
			}
		}
		if bestAt > 0 && (bestSize.Events < s.size.Events || s.cur.Config.EndAfter > 0) {
			how := ""
			if bestAligned {
				how = ", its earlier answers left out"
			}
			s.accept(best, bestSize, fmt.Sprintf("%s starts at %s%s", name, faults.FormatDuration(bestAt), how))
		}
	}
}

// laterStarts is how many parts laterClients cuts a client's possible
// starts into: a start is tried at each inner point.
const laterStarts = 16

// firstOp is what a client did in the current case until its first
// operation returned: when it invoked it and when it returned (virtual
// times), and how long after the invocation each of its timers fired
// meanwhile (its retries).
type firstOp struct {
	id                sim.NodeID
	invoked, returned sim.Time
	didReturn         bool
	retries           []sim.Time
}

func (f *firstOp) retriesOrNone() []sim.Time {
	if f == nil {
		return nil
	}
	return f.retries
}

// firstOps runs the current case and returns, for each agent that invoked
// an operation, its firstOp.
func (s *shrinker) firstOps() (map[string]*firstOp, bool) {
	if !s.budgetLeft() {
		return nil, false
	}
	s.runs++
	firsts := map[string]*firstOp{}
	var w *sim.World
	_, err := s.cur.Run(harness.RunOptions{Ready: func(rw *sim.World) { w = rw }, Observe: func(e *traces.Event) {
		f := firsts[e.Node]
		switch {
		case e.Kind == traces.KindInvoke && f == nil:
			id, _ := w.Lookup(e.Node)
			firsts[e.Node] = &firstOp{id: id, invoked: sim.Time(e.Time)}
		case f == nil || f.didReturn:
		case e.Kind == traces.KindReturn:
			f.returned, f.didReturn = sim.Time(e.Time), true
		case e.Kind == traces.KindTimer && sim.Time(e.Time) > f.invoked:
			f.retries = append(f.retries, sim.Time(e.Time)-f.invoked)
		}
	}})
	return firsts, err == nil
}

// alignStart returns c, whose client (first) now starts shift later, with
// the answers of the questions the later start removes taken out of its
// log: the delays, losses and duplications of messages to and from the
// client sent before its first invocation now comes (it sent none then),
// and the client's own other questions after its first invocation up to
// then, while its first operation was being retried (which server to try:
// the retry at that moment chose anew, the invocation now there asks
// nothing, having chosen at the start).
// Its later questions then get the answers they got before, keyed or not:
// a client started at the moment of its retry that got through sends its
// first request into the delay, and receives its answer through the loss,
// that the retry met. It reports false when c's log does not say who asked
// each choice and when (a case read from a trace file), or when nothing
// would be taken out.
func alignStart(c Case, first *firstOp, shift sim.Time) (Case, bool) {
	if first == nil || len(c.keys) != len(c.Choices) || len(c.times) != len(c.Choices) {
		return c, false
	}
	id := int32(first.id)
	until := first.invoked + shift
	retried := func(t sim.Time) bool { // a question of the first operation's retries up to until
		return t > first.invoked && t <= until && (!first.didReturn || t < first.returned)
	}
	keep := func(i int) bool {
		k, t := c.keys[i], sim.Time(c.times[i])
		if k.Purpose == scheduler.Delay || k.Purpose == scheduler.Drop || k.Purpose == scheduler.Dup {
			return t >= until || (k.Asker != id && k.To != id)
		}
		return k.Asker != id || !retried(t)
	}
	var out Case
	out.Config = c.Config
	for i := range c.Choices {
		if keep(i) {
			out.Choices = append(out.Choices, c.Choices[i])
			out.keys = append(out.keys, c.keys[i])
			out.times = append(out.times, c.times[i])
		}
	}
	return out, len(out.Choices) < len(c.Choices)
}

// fitClients drops from c's late starts (Config.StartAt) and skipped
// operations (Config.Skip) those that no longer fit c: of an agent its world
// no longer has (a client removed), or a start past its safety phase
// (shortened), as restrictPlan drops faults on removed nodes.
func fitClients(c Case) Case {
	starts, err := harness.ParseStarts(c.Config.StartAt)
	if err != nil {
		return c
	}
	skip, err := protocols.ParseOpSet(c.Config.Skip)
	if err != nil || len(starts) == 0 && len(skip) == 0 {
		return c
	}
	cfg := c.Config
	cfg.StartAt, cfg.Skip = "", ""
	w, inst, resolved, err := setup(Case{Config: cfg, Choices: c.Choices})
	if err != nil {
		return c
	}
	isClient := func(name string) bool {
		id, ok := w.Lookup(name)
		return ok && !inst.IsServer(id)
	}
	fit := slices.DeleteFunc(slices.Clone(starts), func(st harness.Start) bool {
		return !isClient(st.Agent) || st.At >= resolved.Safety
	})
	c.Config.StartAt = fit.String()
	c.Config.Skip = protocols.OpSet(slices.DeleteFunc(slices.Clone(skip), func(r protocols.OpRef) bool {
		return !isClient(r.Client)
	})).String()
	return c
}

// clientNames names the agents of the current case's world that are neither
// servers nor spare servers, in id order.
func (s *shrinker) clientNames() []string {
	w, inst, _, err := setup(s.cur)
	if err != nil {
		return nil
	}
	var names []string
	for id := sim.NodeID(0); int(id) < w.Len(); id++ {
		if !inst.IsServer(id) {
			names = append(names, w.Name(id))
		}
	}
	return names
}
