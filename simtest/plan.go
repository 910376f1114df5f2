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
	// Episodes is the most fault episodes in one plan (0: 24, about what the
	// swarm nemesis draws for a run). An episode is a fault and its undoing: a
	// crash and the restart, a partition and the mend. Negative: no faults.
	Episodes int
	// Kinds are the faults drawn (nil: DefaultKinds, every kind the nemesis
	// draws). Crash, Pause, Isolate, Partition, Bridge, Cut, Drop, Dup,
	// Jitter, Clog, Spike and Skew are supported; shrinking prefers the kinds
	// listed first.
	Kinds []faults.Kind
	// Nodes are the names faults may name (nil: the protocol's servers).
	Nodes []string
	// Tolerates is how many of Nodes may be down (crashed or paused) at once
	// (0: the protocol's Instance.Tolerates). Negative: none.
	Tolerates int
	// Within is when faults may start: [0, Within) (0: the safety phase).
	Within sim.Time
}

// Budget defaults.
const (
	episodesDefault = 24
	episodesMax     = 64
	planStep        = sim.Millisecond // granularity of drawn times
)

// DefaultKinds are the faults drawn when Budget.Kinds is nil: every kind the
// swarm nemesis draws (crashes in every mode, torn writes included; pauses;
// isolation, two-sided and bridged partitions, one-way cuts; loss,
// duplication, jitter, clogged and slow links; clock skew and drift).
var DefaultKinds = []faults.Kind{faults.Crash, faults.Pause, faults.Isolate, faults.Partition, faults.Bridge,
	faults.Cut, faults.Drop, faults.Dup, faults.Jitter, faults.Clog, faults.Spike, faults.Skew}

// Values the drawn faults choose among, simplest first (shrinking picks the first).
var (
	crashModes  = []sim.CrashMode{sim.LoseUnsynced, sim.KeepUnsynced, sim.TornWrites}
	lossRates   = []uint32{50_000, 200_000, 500_000} // 5%, 20%, 50%
	spikeDelays = []sim.Time{50 * sim.Millisecond, 250 * sim.Millisecond, sim.Second}
	skewOffsets = []sim.Time{10 * sim.Millisecond, -10 * sim.Millisecond, 500 * sim.Millisecond, -500 * sim.Millisecond}
	skewDrifts  = []int64{0, 200, -200, 100_000, -100_000}
	jitters     = []sim.Time{10 * sim.Millisecond, 50 * sim.Millisecond, 200 * sim.Millisecond}
)

// episode is one fault and the entries that apply and undo it.
type episode struct {
	at, end sim.Time
	down    string // the node a crash or pause takes down, else ""
	entries []faults.Entry
}

// PlanOf returns a generator of fault plans within b, which must name its
// Nodes and Within (Check fills them in). A plan shrinks by losing episodes,
// moving them earlier, making them shorter and picking simpler kinds, nodes and
// rates. Episodes that would take more than b.Tolerates nodes down at once, or
// a node down twice, are left out.
func PlanOf(b Budget) *rapid.Generator[faults.Plan] {
	if len(b.Nodes) == 0 || b.Within <= 0 {
		panic("simtest.PlanOf: the budget needs Nodes and Within")
	}
	kinds := b.Kinds
	if kinds == nil {
		kinds = DefaultKinds
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
		drawn := rapid.SliceOfN(rapid.Custom(func(t *rapid.T) episode { return drawEpisode(t, b, kinds) }), 0, count).Draw(t, "episodes")
		return planOf(withinBudget(drawn, b.Tolerates))
	})
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
		add(at, faults.Fault{Kind: faults.Skew, Node: node, Offset: rapid.SampledFrom(skewOffsets).Draw(t, "offset"),
			Drift: rapid.SampledFrom(skewDrifts).Draw(t, "drift")})
	default:
		panic("simtest: fault kind " + kind.String() + " is not drawn; see Budget.Kinds")
	}
	return e
}

// spreadSlices is how many coarse slices spread divides a range into.
const spreadSlices = 16

// spread draws from [0, n] about uniformly: rapid biases integers towards
// small values (the bit length is geometric with mean about 8), so
// IntRange(0, 10000) lands in the first 256 most of the time and every fault
// would fall in the first quarter second of a run. A slice of the range is
// drawn first (a small range, which rapid draws almost uniformly), then the
// offset within it; both shrink towards 0, so the value does too.
func spread(t *rapid.T, n int, label string) int {
	if n < 4*spreadSlices {
		return rapid.IntRange(0, n).Draw(t, label)
	}
	width := (n + spreadSlices) / spreadSlices
	slice := rapid.IntRange(0, spreadSlices-1).Draw(t, label+" slice")
	return min(slice*width+rapid.IntRange(0, width-1).Draw(t, label), n)
}

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
// tolerates nodes down at once and never take a node down twice.
func withinBudget(eps []episode, tolerates int) []episode {
	var kept []episode
	for _, e := range eps {
		if e.down == "" || fits(kept, e, tolerates) {
			kept = append(kept, e)
		}
	}
	return kept
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
