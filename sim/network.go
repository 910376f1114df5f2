package sim

import (
	"github.com/orrery-sim/orrery/internal/assert"
	"github.com/orrery-sim/orrery/scheduler"
)

// NetworkConfig sets the network's semantics.
type NetworkConfig struct {
	DelayMin Time // every message takes at least this long
	DelayMax Time // and at most this long (uniform between, drawn per message)
	FIFO     bool // deliver in send order on each link
}

// DefaultNetwork is a LAN-like network: 1–10ms, unordered.
var DefaultNetwork = NetworkConfig{DelayMin: Millisecond, DelayMax: 10 * Millisecond}

// ppm is a rate in parts per million: integer, so rates never depend on float
// rounding.
const ppm = 1_000_000

// network holds link state, indexed from*n+to. The fault vocabulary drives it.
type network struct {
	cfg     NetworkConfig
	n       int
	cut     []bool // link blocked (partition)
	clog    []Time // link holds messages until this time
	spike   []Time // extra delay added on the link
	last    []Time // last delivery time on the link (FIFO)
	dropPPM uint32
	dupPPM  uint32
	// routing is the receiver of the message whose loss or duplication is
	// being drawn (External otherwise): RoutingTo.
	routing NodeID
	// linker is the chooser as a scheduler.LinkChooser (PCT wants to know the
	// link of each delay), looked up once on the first message, or nil.
	linker scheduler.LinkChooser
	probed bool
}

func (nw *network) grow(n int) {
	old := nw.n
	nw.n = n
	resize := func(s []Time) []Time {
		out := make([]Time, n*n)
		for f := 0; f < old; f++ {
			copy(out[f*n:f*n+old], s[f*old:f*old+old])
		}
		return out
	}
	cut := make([]bool, n*n)
	for f := 0; f < old; f++ {
		copy(cut[f*n:f*n+old], nw.cut[f*old:f*old+old])
	}
	nw.cut, nw.clog, nw.spike, nw.last = cut, resize(nw.clog), resize(nw.spike), resize(nw.last)
}

func (nw *network) link(from, to NodeID) int { return int(from)*nw.n + int(to) }

// route decides the fate of one message: the delivery times (none when dropped,
// two when duplicated) and, if dropped, why.
func (w *World) route(from, to NodeID) (at [2]Time, count int, why string) {
	nw := &w.net
	l := nw.link(from, to)
	if nw.cut[l] {
		return at, 0, "partition"
	}
	nw.routing = to
	if nw.dropPPM > 0 && w.choose(scheduler.Drop, ppm) < uint64(nw.dropPPM) {
		nw.routing = External
		w.stats.Lost++
		return at, 0, "loss"
	}
	count = 1
	if nw.dupPPM > 0 && w.choose(scheduler.Dup, ppm) < uint64(nw.dupPPM) {
		count = 2
		w.stats.Duplicated++
	}
	nw.routing = External
	for i := 0; i < count; i++ {
		t := w.now + nw.cfg.DelayMin + Time(w.chooseDelay(from, to, uint64(nw.cfg.DelayMax-nw.cfg.DelayMin)+1))
		t += nw.spike[l]
		if nw.clog[l] > t {
			t = nw.clog[l]
		}
		if nw.cfg.FIFO && t < nw.last[l] {
			t = nw.last[l]
		}
		nw.last[l] = max(nw.last[l], t)
		at[i] = t
	}
	return at, count, ""
}

// RoutingTo is the receiver of the message whose loss or duplication the
// world is drawing, if it is drawing one: a chooser that keys its answers by
// who asks (scheduler.KeyRecorder, scheduler.KeyedReplay) keys those by link
// too, so that one more message on one link does not shift the losses on
// every other link of its sender.
func (w *World) RoutingTo() (NodeID, bool) {
	return w.net.routing, w.net.routing != External
}

// chooseDelay draws a message delay in [0, n): through the chooser's
// LinkChooser side when it has one, recorded as an ordinary Delay choice so that
// Replay, which knows nothing of links, answers it the same way.
func (w *World) chooseDelay(from, to NodeID, n uint64) uint64 {
	nw := &w.net
	if !nw.probed {
		nw.linker, _ = w.chooser.(scheduler.LinkChooser)
		nw.probed = true
	}
	if nw.linker == nil {
		return w.choose(scheduler.Delay, n)
	}
	v := nw.linker.ChooseDelay(int32(from), int32(to), int64(w.now), n)
	if w.sink != nil {
		w.choices = append(w.choices, scheduler.Choice{Purpose: scheduler.Delay, N: n, Value: v})
	}
	return v
}

// SetNetwork changes delay bounds and ordering from now on.
func (w *World) SetNetwork(cfg NetworkConfig) {
	assert.That(0 <= cfg.DelayMin && cfg.DelayMin <= cfg.DelayMax, "network delay [%v, %v]", cfg.DelayMin, cfg.DelayMax)
	w.net.cfg = cfg
}

// Network returns the current network settings.
func (w *World) Network() NetworkConfig { return w.net.cfg }

// Cut blocks the link from → to (one direction). Messages on it are dropped.
func (w *World) Cut(from, to NodeID) { w.net.cut[w.net.link(from, to)] = true }

// Mend unblocks the link from → to.
func (w *World) Mend(from, to NodeID) { w.net.cut[w.net.link(from, to)] = false }

// IsCut reports whether the link from → to is blocked.
func (w *World) IsCut(from, to NodeID) bool { return w.net.cut[w.net.link(from, to)] }

// Clog holds messages on the link from → to until the given time.
func (w *World) Clog(from, to NodeID, until Time) { w.net.clog[w.net.link(from, to)] = until }

// Spike adds extra delay to every message on the link from → to (0 removes it).
func (w *World) Spike(from, to NodeID, extra Time) { w.net.spike[w.net.link(from, to)] = extra }

// SetLoss sets the rate of lost and duplicated messages, in parts per million.
func (w *World) SetLoss(dropPPM, dupPPM uint32) {
	assert.That(dropPPM <= ppm && dupPPM <= ppm, "loss rates %d, %d ppm", dropPPM, dupPPM)
	w.net.dropPPM, w.net.dupPPM = dropPPM, dupPPM
}

// HealNetwork removes every partition, clog, spike and loss.
func (w *World) HealNetwork() {
	clear(w.net.cut)
	clear(w.net.clog)
	clear(w.net.spike)
	w.net.dropPPM, w.net.dupPPM = 0, 0
}
