package simtest

import (
	"fmt"
	"math"
	"strings"

	"github.com/orrery-sim/orrery/scheduler"
	"pgregory.net/rapid"
)

// Schedule is the part of a run's scheduling that a property test draws, and
// so shrinks. Every choice of a run is still answered by a chooser (and
// recorded in the trace); the Schedule decides how:
//
//   - Jitter scales every message delay the seeded stream draws, in percent:
//     0 is a synchronous network where every message takes the minimum delay.
//   - Delays set the delay of chosen messages outright (the n-th message sent
//     in the run), so a shrunk failure reads "a synchronous network except that
//     message 17 took the longest delay".
//   - Seed seeds every other choice: agent randomness, loss, workload draws.
//
// Drawing everything before the run, rather than one rapid draw per choice
// while it runs, matters for shrinking: rapid shrinks by deleting and lowering
// parts of its bitstream, and a run that kept drawing would overrun a shortened
// stream; a schedule drawn up front stays valid under every deletion.
type Schedule struct {
	Seed   uint64
	Jitter uint8 // percent, 0..100
	Delays []Delay
}

// Delay sets the delay of the Message-th message of a run (from 0) to the
// Level-th of DelayLevels evenly spaced delays, 0 the network's minimum and
// DelayLevels-1 its maximum.
type Delay struct {
	Message uint32
	Level   uint8
}

// Schedule limits.
const (
	// DelayLevels are the delays a scripted message can take: min, 1/3, 2/3, max
	// of the range. Few levels keep draws small and make shrunk schedules
	// readable.
	DelayLevels = 4
	// scriptedDelaysMax bounds Schedule.Delays.
	scriptedDelaysMax = 16
	// scriptedMessagesMax bounds Delay.Message: scripted delays act on the first
	// messages of a run, where the interleavings that matter usually start.
	scriptedMessagesMax = 2000
)

// ScheduleOf returns a generator of schedules. Shrinking lowers the seed and
// the jitter (towards a synchronous network) and deletes and lowers scripted
// delays.
func ScheduleOf() *rapid.Generator[Schedule] {
	return rapid.Custom(func(t *rapid.T) Schedule {
		s := Schedule{
			Seed:   rapid.Uint64().Draw(t, "seed"),
			Jitter: uint8(spread(t, 100, "jitter")),
		}
		s.Delays = rapid.SliceOfN(rapid.Custom(func(t *rapid.T) Delay {
			return Delay{
				Message: uint32(spread(t, scriptedMessagesMax-1, "message")),
				Level:   uint8(rapid.IntRange(0, DelayLevels-1).Draw(t, "level")),
			}
		}), 0, scriptedDelaysMax).Draw(t, "delays")
		return s
	})
}

// GoString renders a schedule on one line (rapid logs draws with %#v).
func (s Schedule) GoString() string { return s.String() }

func (s Schedule) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "seed %d, jitter %d%%", s.Seed, s.Jitter)
	if len(s.Delays) > 0 {
		b.WriteString(", delays")
		for _, d := range s.Delays {
			fmt.Fprintf(&b, " #%d:%d/%d", d.Message, d.Level, DelayLevels-1)
		}
	}
	return b.String()
}

// Chooser returns a fresh chooser that answers as s says.
func (s Schedule) Chooser() scheduler.Chooser {
	c := &scriptChooser{seeded: scheduler.NewSeeded(s.Seed), jitter: uint64(s.Jitter), levels: map[uint32]uint8{}}
	for _, d := range s.Delays {
		if _, dup := c.levels[d.Message]; !dup { // the first word on a message stands
			c.levels[d.Message] = d.Level
		}
	}
	return c
}

type scriptChooser struct {
	seeded   *scheduler.Seeded
	jitter   uint64
	levels   map[uint32]uint8
	messages uint32
}

// Choose implements scheduler.Chooser. The seeded stream is drawn for every
// delay, scripted or not, so deleting a scripted delay moves no other delay.
func (c *scriptChooser) Choose(p scheduler.Purpose, n uint64) uint64 {
	v := c.seeded.Choose(p, n)
	if p != scheduler.Delay {
		return v
	}
	i := c.messages
	c.messages++
	if level, ok := c.levels[i]; ok && n > 1 {
		return (n - 1) * uint64(level) / (DelayLevels - 1)
	}
	if v > math.MaxUint64/100 {
		return v / 100 * c.jitter
	}
	return v * c.jitter / 100
}
