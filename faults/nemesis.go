package faults

import (
	"fmt"
	"math/bits"
	"slices"
	"strings"

	"github.com/orrery-sim/orrery/internal/assert"
	"github.com/orrery-sim/orrery/scheduler"
	"github.com/orrery-sim/orrery/sim"
	"github.com/orrery-sim/orrery/traces"
)

// The nemesis draws a whole plan when the run is installed, every value through
// w.Choose(scheduler.Fault, n): first (in swarm mode) which lanes are on and
// their settings, then each lane's episodes in lane order, each episode with a
// fixed pattern of draws. The draws depend only on the seed and the topology,
// never on what the protocol does, so shrinking one fault choice leaves the
// other lanes' faults where they were.

// lane is one family of faults the nemesis draws as episodes: a start fault and,
// for most, an end that undoes it.
type lane uint8

const (
	laneCrash lane = iota
	lanePause
	lanePartition
	laneDrop
	laneDup
	laneJitter
	laneClog
	laneSpike
	laneSkew
	laneCount
)

var laneNames = [laneCount]string{"crash", "pause", "partition", "drop", "dup", "jitter", "clog", "spike", "skew"}

// Limits of the nemesis.
const (
	episodesPerLaneMax = 2000
	stepMsMax          = int(SkewStepMax / sim.Millisecond) // a drawn clock step is within ±this
)

// The clock error the nemesis's skew lane draws, which simtest's drawn plans
// share, so that a protocol correct under it passes a property test as it
// passes a sweep: a skew episode steps one server's clock once, by at most
// SkewStepMax either way, and makes it drift by at most SkewDriftMax (the
// nemesis draws one of SkewDrifts, either sign); it lasts SkewLengthMin to
// SkewLengthMax and ends with "skew NODE +0s drift +0ppm" (SkewEpisode),
// which stops the drift and keeps the offset: stepping the clock back would
// be a second step. A clock's episodes never overlap, so within any
// SkewLengthMin a clock steps at most once and errs by at most SkewStepMax
// plus SkewDriftMax of the time elapsed. Offsets add up over a run, as they
// do between real clocks (HealAll keeps them too).
const (
	SkewStepMax   = 100 * sim.Millisecond
	SkewDriftMax  = 100_000 // ppm: 10%
	SkewLengthMin = 500 * sim.Millisecond
	SkewLengthMax = 5 * sim.Second
)

// SkewDrifts are the drifts, in ppm, a skew episode draws (either sign),
// smallest first.
func SkewDrifts() []int64 { return slices.Clone(levelMenu[laneSkew]) }

// SkewEpisode returns the faults that start and end a skew episode of node:
// a step of the clock and a drift, then the end of the drift.
func SkewEpisode(node string, step sim.Time, drift int64) (start, end Fault) {
	assert.That(-SkewStepMax <= step && step <= SkewStepMax, "faults: clock step %v beyond ±%v", step, SkewStepMax)
	assert.That(-SkewDriftMax <= drift && drift <= SkewDriftMax, "faults: drift %dppm beyond ±%dppm", drift, SkewDriftMax)
	return Fault{Kind: Skew, Node: node, Offset: step, Drift: drift}, Fault{Kind: Skew, Node: node}
}

// settings are one lane's options.
type settings struct {
	on             bool
	every          sim.Time // mean gap between episodes
	lenMin, lenMax sim.Time // how long one episode lasts
	level          int64    // drop, dup: ppm; jitter, spike: ns; skew: drift ppm
	mask           uint8    // crash: modes (bit per sim.CrashMode); partition: shapes
}

// Partition shapes the nemesis draws from (bits of settings.mask).
var shapeNames = [...]string{"isolate", "split", "halves", "bridge", "oneway"}

const (
	shapeIsolate = iota
	shapeSplit
	shapeHalves
	shapeBridge
	shapeOneway
)

// Episode lengths per lane; fixed in both modes.
var laneLengths = [laneCount][2]sim.Time{
	laneCrash:     {50 * sim.Millisecond, 3 * sim.Second},
	lanePause:     {20 * sim.Millisecond, 2 * sim.Second},
	lanePartition: {100 * sim.Millisecond, 3 * sim.Second},
	laneDrop:      {200 * sim.Millisecond, 3 * sim.Second},
	laneDup:       {200 * sim.Millisecond, 3 * sim.Second},
	laneJitter:    {500 * sim.Millisecond, 5 * sim.Second},
	laneClog:      {20 * sim.Millisecond, sim.Second},
	laneSpike:     {100 * sim.Millisecond, 2 * sim.Second},
	laneSkew:      {SkewLengthMin, SkewLengthMax},
}

// What swarm mode draws from.
var (
	everyMenu = []sim.Time{250 * sim.Millisecond, 500 * sim.Millisecond, sim.Second, 2 * sim.Second, 4 * sim.Second}
	levelMenu = [laneCount][]int64{
		laneDrop:   {10_000, 50_000, 200_000, 500_000},
		laneDup:    {10_000, 50_000, 200_000},
		laneJitter: {int64(5 * sim.Millisecond), int64(20 * sim.Millisecond), int64(100 * sim.Millisecond)},
		laneSpike:  {int64(10 * sim.Millisecond), int64(50 * sim.Millisecond), int64(250 * sim.Millisecond)},
		laneSkew:   {100, 1_000, 10_000, SkewDriftMax},
	}
)

// defaultSettings is the modest fixed-rate nemesis: every lane on, a few
// seconds apart, gentle levels.
func defaultSettings() [laneCount]settings {
	var s [laneCount]settings
	for l := range s {
		s[l] = settings{on: true, every: 4 * sim.Second, lenMin: laneLengths[l][0], lenMax: laneLengths[l][1]}
	}
	s[laneCrash].mask = 1<<sim.LoseUnsynced | 1<<sim.TornWrites
	s[lanePartition].mask = 1<<len(shapeNames) - 1
	s[laneDrop].level, s[laneDup].level = 10_000, 10_000
	s[laneJitter].level, s[laneSpike].level = int64(10*sim.Millisecond), int64(50*sim.Millisecond)
	s[laneSkew].level = 1_000
	return s
}

// drawer draws every nemesis value through the world's chooser.
type drawer struct{ w *sim.World }

func (d drawer) n(k int) int { return int(d.w.Choose(scheduler.Fault, uint64(k))) }

// between draws a time in [lo, hi] at millisecond granularity.
func (d drawer) between(lo, hi sim.Time) sim.Time {
	return lo + sim.Time(d.w.Choose(scheduler.Fault, uint64((hi-lo)/sim.Millisecond)+1))*sim.Millisecond
}

// swarmSettings draws which lanes are on and how hard they push (swarm testing:
// a run that leaves some faults out explores what they would have masked).
func (d drawer) swarmSettings() [laneCount]settings {
	s := defaultSettings()
	any := false
	for l := range s {
		s[l].on = d.n(2) == 1
		s[l].every = everyMenu[d.n(len(everyMenu))]
		if menu := levelMenu[l]; len(menu) > 0 {
			s[l].level = menu[d.n(len(menu))]
		}
		any = any || s[l].on
	}
	s[laneCrash].mask = uint8(1 + d.n(7))                        // a non-empty set of crash modes
	s[lanePartition].mask = uint8(1 + d.n(1<<len(shapeNames)-1)) // and of shapes
	if !any {
		s[d.n(int(laneCount))].on = true
	}
	return s
}

// topology is what the nemesis may fault: server names and the boxes that hold
// only servers (a box with a client is never crashed or paused).
type topology struct {
	servers []string
	boxes   []string
}

func topologyOf(w *sim.World, servers []sim.NodeID) topology {
	var t topology
	for _, id := range servers {
		t.servers = append(t.servers, w.Name(id))
		box := w.BoxOf(id)
		if slices.Contains(t.boxes, box) {
			continue
		}
		onlyServers := true
		for _, a := range w.BoxAgents(box) {
			onlyServers = onlyServers && slices.Contains(servers, a)
		}
		if onlyServers {
			t.boxes = append(t.boxes, box)
		}
	}
	return t
}

// episode is one drawn fault with the entries that start and (for most) end it.
// The entries are inline: a run draws a hundred episodes and allocation would be
// most of the cost.
type episode struct {
	lane       lane
	start, end sim.Time
	box        string // crash, pause: the box taken down
	entries    [2]Entry
	count      int  // entries used
	dropped    bool // over budget
}

// drawPlan draws a plan for [0, safety) and keeps it within the budget. The
// reconfiguration lane (drawn last, only with a hook) returns its settings.
func drawPlan(w *sim.World, s Options, cfg [laneCount]settings, swarm bool) (Plan, planStats, settings) {
	d := drawer{w}
	topo := topologyOf(w, s.Servers)
	eps := make([]episode, 0, 64)
	for l := lane(0); l < laneCount; l++ {
		if cfg[l].on {
			eps = d.lane(eps, l, cfg[l], topo, s.Safety)
		}
	}
	var rcfg settings
	if s.Reconfigure != nil {
		if rcfg = d.reconfigureSettings(swarm); rcfg.on {
			eps = d.reconfigureLane(eps, s, rcfg)
		}
	}
	st := budget(eps, s.Tolerates)
	// Sort (time, position) keys rather than the entries themselves: entries are
	// large and most of a plan is already in order within each lane.
	type key struct {
		at       sim.Time
		ep, slot int32
	}
	keys := make([]key, 0, 2*len(eps))
	for i := range eps {
		for j := 0; j < eps[i].count && !eps[i].dropped; j++ {
			keys = append(keys, key{eps[i].entries[j].At, int32(i), int32(j)})
		}
	}
	slices.SortStableFunc(keys, func(a, b key) int { return compareTime(a.at, b.at) })
	plan := make(Plan, len(keys))
	for i, k := range keys {
		plan[i] = eps[k.ep].entries[k.slot]
	}
	st.faults = len(plan)
	return plan, st, rcfg
}

// lane appends one lane's episodes to out. Crashes and pauses may overlap each
// other (the budget decides); other lanes run one episode at a time.
func (d drawer) lane(out []episode, l lane, s settings, topo topology, safety sim.Time) []episode {
	t := sim.Time(0)
	for range episodesPerLaneMax {
		t += d.between(sim.Millisecond, 2*s.every)
		if t >= safety {
			break
		}
		length := d.between(s.lenMin, s.lenMax)
		out = append(out, episode{})
		if !d.episode(&out[len(out)-1], l, s, topo, t, length) {
			out = out[:len(out)-1]
		}
		if l != laneCrash && l != lanePause {
			t += length
		}
	}
	return out
}

// episode draws what one episode does into e. It reports false when the
// topology is too small for the lane.
func (d drawer) episode(e *episode, l lane, s settings, topo topology, at, length sim.Time) bool {
	*e = episode{lane: l, start: at, end: at + length}
	add := func(t sim.Time, f Fault) {
		e.entries[e.count] = Entry{At: t, Fault: f}
		e.count++
	}
	n := len(topo.servers)
	switch l {
	case laneCrash, lanePause:
		if len(topo.boxes) == 0 {
			return false
		}
		e.box = topo.boxes[d.n(len(topo.boxes))]
		if l == lanePause {
			add(at, Fault{Kind: Pause, Node: e.box, For: length})
			break
		}
		add(at, Fault{Kind: Crash, Node: e.box, Mode: sim.CrashMode(pick(s.mask, d.n(bits.OnesCount8(s.mask))))})
		add(e.end, Fault{Kind: Restart, Node: e.box})
	case lanePartition:
		if n < 2 {
			return false
		}
		add(at, d.shape(pick(s.mask, d.n(bits.OnesCount8(s.mask))), topo.servers))
		add(e.end, Fault{Kind: Mend})
	case laneDrop, laneDup:
		k := Drop
		if l == laneDup {
			k = Dup
		}
		add(at, Fault{Kind: k, PPM: uint32(s.level)})
		add(e.end, Fault{Kind: k})
	case laneJitter:
		add(at, Fault{Kind: Jitter, Delay: sim.Time(s.level)})
		add(e.end, Fault{Kind: Jitter})
	case laneClog, laneSpike:
		if n < 2 {
			return false
		}
		a, b := d.pair(n)
		f := Fault{Kind: Clog, From: topo.servers[a], To: topo.servers[b], Both: d.n(2) == 1, For: length}
		if l == laneSpike {
			f.Kind, f.Delay = Spike, sim.Time(s.level)
		}
		add(at, f)
	case laneSkew:
		if n == 0 {
			return false
		}
		node := topo.servers[d.n(n)]
		drift := s.level
		if d.n(2) == 1 {
			drift = -drift
		}
		step := sim.Time(d.n(2*stepMsMax+1)-stepMsMax) * sim.Millisecond
		start, end := SkewEpisode(node, step, drift)
		add(at, start)
		add(e.end, end)
	}
	return true
}

// pick returns the index of the k-th set bit of mask.
func pick(mask uint8, k int) int {
	for i := 0; i < 8; i++ {
		if mask&(1<<i) != 0 {
			if k == 0 {
				return i
			}
			k--
		}
	}
	assert.Fail("faults: bit %d of mask %08b", k, mask)
	return 0
}

// pair draws two different server indexes.
func (d drawer) pair(n int) (int, int) {
	a := d.n(n)
	b := d.n(n - 1)
	if b >= a {
		b++
	}
	return a, b
}

// shape draws a concrete partition: the plan names every side, so the plan text
// alone replays it. Shapes that need more servers fall back to isolating one.
func (d drawer) shape(shape int, servers []string) Fault {
	n := len(servers)
	switch {
	case shape == shapeOneway:
		a, b := d.pair(n)
		return Fault{Kind: Cut, From: servers[a], To: servers[b]}
	case shape == shapeSplit && n >= 3:
		s := d.shuffle(servers)
		m := (n - 1) / 2
		return Fault{Kind: Split, Groups: [][]string{inOrder(s[:m], servers), inOrder(s[m:], servers)}}
	case shape == shapeHalves && n >= 2:
		s := d.shuffle(servers)
		return Fault{Kind: Halves, Groups: [][]string{inOrder(s[:n/2], servers), inOrder(s[n/2:], servers)}}
	case shape == shapeBridge && n >= 3:
		s := d.shuffle(servers)
		bridge, rest := s[0], s[1:]
		h := len(rest) / 2
		a := append(inOrder(rest[:h], servers), bridge)
		b := append([]string{bridge}, inOrder(rest[h:], servers)...)
		return Fault{Kind: Bridge, Groups: [][]string{a, b}}
	}
	return Fault{Kind: Isolate, Node: servers[d.n(n)]}
}

func (d drawer) shuffle(names []string) []string {
	out := slices.Clone(names)
	for i := len(out) - 1; i > 0; i-- {
		j := d.n(i + 1)
		out[i], out[j] = out[j], out[i]
	}
	return out
}

// inOrder returns names sorted as they appear in order.
func inOrder(names, order []string) []string {
	out := slices.Clone(names)
	slices.SortFunc(out, func(a, b string) int { return slices.Index(order, a) - slices.Index(order, b) })
	return out
}

// planStats says how a drawn plan came about, for the banner.
type planStats struct {
	episodes, overBudget, faults int
}

// budget keeps the episodes that leave at most tolerates boxes down (crashed or
// paused) at any instant. It treats episode times as closed intervals, so a box
// that comes back at t and another that goes down at t count as overlapping:
// the order of same-time actions never decides whether the budget holds.
func budget(eps []episode, tolerates int) planStats {
	st := planStats{episodes: len(eps)}
	var down []*episode
	for i := range eps {
		if eps[i].box != "" {
			down = append(down, &eps[i])
		}
	}
	slices.SortStableFunc(down, func(a, b *episode) int { return compareTime(a.start, b.start) })
	var accepted []*episode
	for _, e := range down {
		overlapping := 0
		ok := true
		for _, a := range accepted {
			if e.start <= a.end && a.start <= e.end {
				overlapping++
				ok = ok && a.box != e.box
			}
		}
		if ok && overlapping < tolerates {
			accepted = append(accepted, e)
		} else {
			e.dropped = true
			st.overBudget++
		}
	}
	return st
}

// describe renders one lane's settings for the banner.
func (s settings) describe(l lane) string {
	if !s.on {
		return "off"
	}
	if l == laneReconfigure {
		return "every ~" + FormatDuration(s.every) + ", add, remove or replace one server (spares join)"
	}
	b := []string{"every ~" + FormatDuration(s.every), "for " + FormatDuration(s.lenMin) + ".." + FormatDuration(s.lenMax)}
	switch l {
	case laneCrash:
		var modes []string
		for m, name := range crashModes {
			if s.mask&(1<<m) != 0 {
				modes = append(modes, name)
			}
		}
		b = append(b, "modes "+strings.Join(modes, " "))
	case lanePartition:
		var shapes []string
		for i, name := range shapeNames {
			if s.mask&(1<<i) != 0 {
				shapes = append(shapes, name)
			}
		}
		b = append(b, "shapes "+strings.Join(shapes, " "))
	case laneDrop, laneDup:
		b = append(b, "rate "+FormatRate(uint32(s.level)))
	case laneJitter, laneSpike:
		b = append(b, "delay +"+FormatDuration(sim.Time(s.level)))
	case laneSkew:
		b = append(b, fmt.Sprintf("drift ±%dppm, step within ±%dms", s.level, stepMsMax))
	}
	return strings.Join(b, ", ")
}

// nemesisOptions renders the drawn settings and plan for the banner.
func nemesisOptions(mode string, cfg [laneCount]settings, st planStats, s Options, topo topology) []traces.Option {
	opts := []traces.Option{{Key: "faults", Value: mode}}
	for l := lane(0); l < laneCount; l++ {
		opts = append(opts, traces.Option{Key: "fault." + laneNames[l], Value: cfg[l].describe(l)})
	}
	opts = append(opts, traces.Option{Key: "fault.plan", Value: fmt.Sprintf(
		"%d faults in %d episodes over %v; %d more episodes left out by the budget (%d of %d boxes may be down)",
		st.faults, st.episodes-st.overBudget, FormatDuration(s.Safety), st.overBudget, s.Tolerates, len(topo.boxes))})
	return opts
}
