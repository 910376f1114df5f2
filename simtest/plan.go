package simtest

import (
	"slices"

	"github.com/orrery-sim/orrery/faults"
	"github.com/orrery-sim/orrery/sim"
	"pgregory.net/rapid"
)

// Budget bounds the fault plans a property test draws. Zero fields take the
// defaults that Check fills in from the protocol.
type Budget struct {
	// Episodes is the most fault episodes in one plan (0: 48; a plan draws
	// up to it about uniformly, so it averages 24, about what the swarm
	// nemesis starts in a 10 s run). An episode is a fault and its undoing: a
	// crash and the restart, a partition and the mend. Negative: no faults.
	Episodes int
	// Kinds are the faults drawn (nil: DefaultKinds, every kind the nemesis
	// draws). Crash, Pause, Isolate, Partition, Bridge, Cut, Drop, Dup,
	// Jitter, Clog, Spike and Skew are supported; shrinking prefers the kinds
	// listed first.
	Kinds []faults.Kind
	// Nodes are the names faults may name (nil: the protocol's servers).
	Nodes []string
	// Spares are the servers outside the first configuration (nil: the
	// protocol's Instance.Spares when it reconfigures). Reconfigurations are
	// drawn only when there are some: they add, remove and replace servers,
	// and a change the protocol finds invalid (after shrinking deleted the
	// one before it) is refused by the protocol.
	Spares []string
	// Tolerates is how many of Nodes may be down (crashed or paused) at once
	// (0: the protocol's Instance.Tolerates). Negative: none.
	Tolerates int
	// Within is when faults may start: [0, Within) (0: the safety phase).
	Within sim.Time
}

// Budget defaults.
const (
	episodesDefault = 48
	episodesMax     = 64
	laneEpisodesMax = 10              // rapid's slices average 5 elements, up to half their bound
	planStep        = sim.Millisecond // granularity of drawn times
)

// DefaultKinds are the faults drawn when Budget.Kinds is nil: every kind the
// swarm nemesis draws (crashes in every mode, torn writes included; pauses;
// isolation, two-sided and bridged partitions, one-way cuts; loss,
// duplication, jitter, clogged and slow links; clock skew and drift, within
// the nemesis's bounds (faults.SkewEpisode: a step within ±100ms, a drift
// within ±10%, episodes of 0.5 to 5 s that stop the drift when they end);
// membership changes, for a protocol with spares).
var DefaultKinds = []faults.Kind{faults.Crash, faults.Pause, faults.Isolate, faults.Partition, faults.Bridge,
	faults.Cut, faults.Drop, faults.Dup, faults.Jitter, faults.Clog, faults.Spike, faults.Skew, faults.Reconfigure}

// Values the drawn faults choose among, simplest first (shrinking picks the first).
var (
	crashModes  = []sim.CrashMode{sim.LoseUnsynced, sim.KeepUnsynced, sim.TornWrites}
	lossRates   = []uint32{50_000, 200_000, 500_000} // 5%, 20%, 50%
	spikeDelays = []sim.Time{50 * sim.Millisecond, 250 * sim.Millisecond, sim.Second}
	skewDrifts  = append([]int64{0}, faults.SkewDrifts()...) // ppm, either sign; 0: a step alone
	jitters     = []sim.Time{10 * sim.Millisecond, 50 * sim.Millisecond, 200 * sim.Millisecond}
)

// episode is one fault and the entries that apply and undo it.
type episode struct {
	at, end sim.Time
	down    string // the node a crash or pause takes down, else ""
	clock   string // the node whose clock a skew steps, else ""
	entries []faults.Entry
}

// PlanOf returns a generator of fault plans within b, which must name its
// Nodes and Within (Check fills them in). Like the swarm nemesis, each plan
// first draws which kinds it uses (each kind is left out half the time, so a
// plan without crashes lets partitions and delays play out). Its episodes
// come in lanes of at most laneEpisodesMax, each a rapid slice: one slice of
// up to the budget would average five episodes (rapid's slice lengths do),
// a fifth of what a swarm run starts, while lanes average half the budget
// and still shrink by losing any episode. A plan shrinks by losing episodes,
// moving them earlier, making them shorter and picking simpler kinds, nodes
// and rates; a kind left out shrinks to one drawn.
// Episodes that would take more than b.Tolerates nodes down at once, or a
// node down twice, or skew a clock already skewed, are left out.
func PlanOf(b Budget) *rapid.Generator[faults.Plan] {
	if len(b.Nodes) == 0 || b.Within <= 0 {
		panic("simtest.PlanOf: the budget needs Nodes and Within")
	}
	kinds := b.Kinds
	if kinds == nil {
		kinds = DefaultKinds
	}
	if len(b.Spares) == 0 { // nothing to add: the protocol does not reconfigure
		kinds = slices.DeleteFunc(slices.Clone(kinds), func(k faults.Kind) bool { return k == faults.Reconfigure })
	}
	count := b.Episodes
	switch {
	case count == 0:
		count = episodesDefault
	case count < 0:
		count = 0
	}
	count = min(count, episodesMax)
	return rapid.Custom(func(t *rapid.T) faults.Plan {
		if count == 0 || len(kinds) == 0 {
			// rapid wants every generator to draw: no plan is the one value.
			return rapid.Just[faults.Plan](nil).Draw(t, "none")
		}
		used := drawKinds(t, kinds)
		ep := rapid.Custom(func(t *rapid.T) episode { return drawEpisode(t, b, used) })
		lanes := (count + laneEpisodesMax - 1) / laneEpisodesMax
		var drawn []episode
		for range lanes {
			drawn = append(drawn, rapid.SliceOfN(ep, 0, (count+lanes-1)/lanes).Draw(t, "episodes")...)
		}
		return planOf(withinBudget(drawn[:min(len(drawn), count)], b.Tolerates))
	})
}

// drawKinds draws the kinds a plan uses: each of kinds is left out half the
// time (the draw shrinks to keeping it), and when every kind is left out the
// plan uses them all.
func drawKinds(t *rapid.T, kinds []faults.Kind) []faults.Kind {
	var used []faults.Kind
	for _, k := range kinds {
		if !rapid.Bool().Draw(t, "leave out "+k.String()) {
			used = append(used, k)
		}
	}
	if len(used) == 0 {
		return kinds
	}
	return used
}

func drawEpisode(t *rapid.T, b Budget, kinds []faults.Kind) episode {
	kind := rapid.SampledFrom(kinds).Draw(t, "kind")
	steps := int(b.Within / planStep)
	at := sim.Time(spread(t, max(steps-1, 0), "at")) * planStep
	length := sim.Time(1+spread(t, max(steps/2, 1)-1, "for")) * planStep
	node := rapid.SampledFrom(b.Nodes).Draw(t, "node")
	e := episode{at: at, end: at + length}
	if len(b.Nodes) < 2 && linkKinds[kind] {
		return e // a lone server has no links to fault
	}
	add := func(when sim.Time, f faults.Fault) {
		e.entries = append(e.entries, faults.Entry{At: when, Fault: f})
	}
	switch kind {
	case faults.Crash:
		e.down = node
		add(at, faults.Fault{Kind: faults.Crash, Node: node, Mode: rapid.SampledFrom(crashModes).Draw(t, "mode")})
		add(e.end, faults.Fault{Kind: faults.Restart, Node: node})
	case faults.Pause:
		e.down = node
		add(at, faults.Fault{Kind: faults.Pause, Node: node, For: length})
	case faults.Isolate:
		add(at, faults.Fault{Kind: faults.Isolate, Node: node})
		add(e.end, faults.Fault{Kind: faults.Mend})
	case faults.Partition:
		add(at, faults.Fault{Kind: faults.Partition, Groups: drawSides(t, b.Nodes)})
		add(e.end, faults.Fault{Kind: faults.Mend})
	case faults.Bridge:
		add(at, drawBridge(t, b.Nodes, node))
		add(e.end, faults.Fault{Kind: faults.Mend})
	case faults.Cut:
		add(at, faults.Fault{Kind: faults.Cut, From: node, To: drawOther(t, b.Nodes, node), Both: rapid.Bool().Draw(t, "both")})
		add(e.end, faults.Fault{Kind: faults.Mend})
	case faults.Jitter:
		add(at, faults.Fault{Kind: faults.Jitter, Delay: rapid.SampledFrom(jitters).Draw(t, "jitter")})
		add(e.end, faults.Fault{Kind: faults.Jitter})
	case faults.Drop, faults.Dup:
		add(at, faults.Fault{Kind: kind, PPM: rapid.SampledFrom(lossRates).Draw(t, "rate")})
		add(e.end, faults.Fault{Kind: kind})
	case faults.Clog:
		add(at, faults.Fault{Kind: faults.Clog, From: node, To: drawOther(t, b.Nodes, node), Both: rapid.Bool().Draw(t, "both"), For: length})
	case faults.Spike:
		add(at, faults.Fault{Kind: faults.Spike, From: node, To: drawOther(t, b.Nodes, node), Both: rapid.Bool().Draw(t, "both"),
			Delay: rapid.SampledFrom(spikeDelays).Draw(t, "delay"), For: length})
	case faults.Skew:
		e.clock = node
		e.end = at + drawSkewLength(t)
		start, end := faults.SkewEpisode(node, drawSkewStep(t), drawSkewDrift(t))
		add(at, start)
		add(e.end, end)
	case faults.Reconfigure:
		add(at, drawChange(t, b))
	default:
		panic("simtest: fault kind " + kind.String() + " is not drawn; see Budget.Kinds")
	}
	return e
}

// Skew episodes are the swarm nemesis's (faults.SkewEpisode): a step within
// ±faults.SkewStepMax and a drift within ±faults.SkewDriftMax that end after
// faults.SkewLengthMin to faults.SkewLengthMax, one at a time per clock
// (withinBudget). Each value shrinks to the simplest: no step, no drift, the
// shortest episode.

func drawSkewLength(t *rapid.T) sim.Time {
	return faults.SkewLengthMin + sim.Time(spread(t, int((faults.SkewLengthMax-faults.SkewLengthMin)/planStep), "skew for"))*planStep
}

func drawSkewStep(t *rapid.T) sim.Time {
	step := sim.Time(spread(t, int(faults.SkewStepMax/planStep), "step")) * planStep
	if step != 0 && rapid.Bool().Draw(t, "step back") {
		step = -step
	}
	return step
}

func drawSkewDrift(t *rapid.T) int64 {
	drift := rapid.SampledFrom(skewDrifts).Draw(t, "drift")
	if drift != 0 && rapid.Bool().Draw(t, "slow") {
		drift = -drift
	}
	return drift
}

// spread draws from [0, n] about uniformly: rapid biases integers towards
// small values (the bit length is geometric with mean about 8), so
// IntRange(0, 10000) lands in the first 256 most of the time and every fault
// would fall in the first quarter second of a run; even IntRange(0, 24)
// averages 9, not 12. Base-4 digits are drawn instead, most significant
// first (rapid draws 0..3 about uniformly), and scaled onto the range; every
// digit shrinks towards 0, so the value does too.
func spread(t *rapid.T, n int, label string) int {
	if n < spreadBase {
		return rapid.IntRange(0, n).Draw(t, label)
	}
	v, span := 0, 1
	for span <= n {
		v = v*spreadBase + rapid.IntRange(0, spreadBase-1).Draw(t, label)
		span *= spreadBase
	}
	return int(int64(v) * int64(n+1) / int64(span))
}

// spreadBase is the base of the digits spread draws.
const spreadBase = 4

// drawChange draws a membership change: a spare joins, a member of the first
// configuration leaves, or one replaces the other. Episodes are drawn
// independently, so the draw does not follow the membership as earlier
// changes leave it; it leans to changes valid from the first configuration
// (a spare joins, a first member leaves), and the protocol refuses the rest.
func drawChange(t *rapid.T, b Budget) faults.Fault {
	members := slices.DeleteFunc(slices.Clone(b.Nodes), func(n string) bool { return slices.Contains(b.Spares, n) })
	pick := func(likely []string, label string) string {
		if len(likely) > 0 && !rapid.Bool().Draw(t, label+" elsewhere") {
			return rapid.SampledFrom(likely).Draw(t, label)
		}
		return rapid.SampledFrom(b.Nodes).Draw(t, label)
	}
	f := faults.Fault{Kind: faults.Reconfigure, Change: rapid.SampledFrom(changeOps).Draw(t, "change")}
	switch f.Change {
	case faults.ChangeAdd:
		f.Node = pick(b.Spares, "joins")
	case faults.ChangeRemove:
		f.Node = pick(members, "leaves")
	case faults.ChangeReplace:
		f.Node = pick(members, "leaves")
		f.To = pick(slices.DeleteFunc(slices.Clone(b.Spares), func(n string) bool { return n == f.Node }), "joins")
		if f.To == f.Node {
			f.Change, f.To = faults.ChangeRemove, ""
		}
	}
	return f
}

// changeOps are the membership changes drawn, simplest first.
var changeOps = []faults.ChangeOp{faults.ChangeAdd, faults.ChangeRemove, faults.ChangeReplace}

// linkKinds are the faults between two or more servers.
var linkKinds = map[faults.Kind]bool{faults.Isolate: true, faults.Partition: true, faults.Bridge: true,
	faults.Cut: true, faults.Clog: true, faults.Spike: true}

// drawSides splits two or more nodes into two non-empty sides (one node alone when the
// draw puts every node on one side).
func drawSides(t *rapid.T, nodes []string) [][]string {
	var a, b []string
	for _, n := range nodes {
		if rapid.Bool().Draw(t, "side") {
			b = append(b, n)
		} else {
			a = append(a, n)
		}
	}
	if len(b) == 0 { // the simplest draw: the last node alone
		a, b = a[:len(a)-1], a[len(a)-1:]
	}
	if len(a) == 0 {
		a, b = b[:1], b[1:]
	}
	return [][]string{a, b}
}

// drawBridge splits the nodes other than bridge into two sides that only
// bridge sees both of (the partition behind Raft's and Paxos' "bridge"
// liveness and leader-flapping bugs); with fewer than three nodes it isolates
// the bridge instead.
func drawBridge(t *rapid.T, nodes []string, bridge string) faults.Fault {
	others := slices.DeleteFunc(slices.Clone(nodes), func(n string) bool { return n == bridge })
	if len(others) < 2 {
		return faults.Fault{Kind: faults.Isolate, Node: bridge}
	}
	sides := drawSides(t, others)
	return faults.Fault{Kind: faults.Bridge, Groups: [][]string{append(slices.Clone(sides[0]), bridge), append(slices.Clone(sides[1]), bridge)}}
}

// drawOther draws a node other than node (node itself when it is the only one).
func drawOther(t *rapid.T, nodes []string, node string) string {
	others := slices.DeleteFunc(slices.Clone(nodes), func(n string) bool { return n == node })
	if len(others) == 0 {
		return node
	}
	return rapid.SampledFrom(others).Draw(t, "to")
}

// withinBudget keeps the episodes, in drawn order, that leave at most
// tolerates nodes down at once, never take a node down twice and never skew
// a clock twice at once (the nemesis runs one skew episode at a time: two
// would step a clock twice in a short while).
func withinBudget(eps []episode, tolerates int) []episode {
	var kept []episode
	for _, e := range eps {
		if (e.down == "" || fits(kept, e, tolerates)) && (e.clock == "" || !skewing(kept, e)) {
			kept = append(kept, e)
		}
	}
	return kept
}

// skewing reports whether a kept episode skews e's clock while e would (closed
// intervals, as in fits: one ending at the instant e starts still counts).
func skewing(kept []episode, e episode) bool {
	for _, k := range kept {
		if k.clock == e.clock && k.at <= e.end && e.at <= k.end {
			return true
		}
	}
	return false
}

func fits(kept []episode, e episode, tolerates int) bool {
	// Closed intervals: an episode ending at the instant another starts still
	// counts, since which applies first at one instant is up to the queue (a
	// pause's resume is scheduled later than a plan entry at the same time).
	overlaps := func(a, b episode) bool { return a.at <= b.end && b.at <= a.end }
	// The most nodes down during e is reached at e's start or at the start of
	// an episode that begins inside it.
	points := []sim.Time{e.at}
	for _, k := range kept {
		if k.down == "" || !overlaps(k, e) {
			continue
		}
		if k.down == e.down {
			return false
		}
		if k.at > e.at {
			points = append(points, k.at)
		}
	}
	for _, p := range points {
		down := 1
		for _, k := range kept {
			if k.down != "" && k.at <= p && p <= k.end {
				down++
			}
		}
		if down > tolerates {
			return false
		}
	}
	return true
}

// planOf flattens episodes into a plan sorted by time (stable: an episode's
// entries keep their order).
func planOf(eps []episode) faults.Plan {
	var p faults.Plan
	for _, e := range eps {
		p = append(p, e.entries...)
	}
	slices.SortStableFunc(p, func(a, b faults.Entry) int {
		switch {
		case a.At < b.At:
			return -1
		case a.At > b.At:
			return 1
		}
		return 0
	})
	return p
}
