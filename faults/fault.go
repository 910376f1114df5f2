package faults

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/orrery-sim/orrery/sim"

	"github.com/orrery-sim/orrery/internal/quote"
)

// Kind is one fault of the closed vocabulary. The order is the order of fault
// counters in run summaries; new kinds go at the end.
type Kind uint8

// The fault kinds, with their text form.
const (
	Crash     Kind = iota // crash NODE [lose|keep|torn]
	Restart               // restart NODE
	Pause                 // pause NODE [for DURATION]
	Resume                // resume NODE
	Isolate               // isolate NODE: cut it off from the other servers
	Split                 // split [GROUPS]: a majority and a minority of the servers
	Halves                // halves [GROUPS]: two random halves of the servers
	Bridge                // bridge NODE | bridge GROUPS: two sides, one node sees both
	Partition             // partition GROUPS: explicit groups
	Cut                   // cut NODE -> NODE: one direction (<-> for both)
	Mend                  // mend: remove every cut (partitions included)
	Heal                  // heal: the whole network (cuts, clogs, spikes, loss, jitter)
	Drop                  // drop RATE: messages lost
	Dup                   // dup RATE: messages delivered twice
	Jitter                // jitter DURATION: wider delay range, so more reordering
	Clog                  // clog NODE -> NODE for DURATION: hold messages, then release
	Spike                 // spike NODE -> NODE DURATION [for DURATION]: extra delay
	Skew                  // skew NODE [OFFSET] [drift DRIFT]: step and rate of a clock
	// Reconfigure: reconfigure add NODE | remove NODE | replace NODE NODE (a
	// change of the configuration, for protocols that take one).
	Reconfigure
	kindCount
)

var kindNames = [kindCount]string{
	"crash", "restart", "pause", "resume", "isolate", "split", "halves", "bridge",
	"partition", "cut", "mend", "heal", "drop", "dup", "jitter", "clog", "spike", "skew",
	"reconfigure",
}

func (k Kind) String() string {
	if k < kindCount {
		return kindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Kinds lists the vocabulary in counter order.
func Kinds() []Kind {
	out := make([]Kind, kindCount)
	for i := range out {
		out[i] = Kind(i)
	}
	return out
}

var synopses = [kindCount]string{
	"crash NODE [lose|keep|torn]", "restart NODE", "pause NODE [for DURATION]", "resume NODE",
	"isolate NODE", "split [GROUPS]", "halves [GROUPS]", "bridge NODE | bridge GROUPS",
	"partition NAMES | NAMES [| NAMES...]", "cut NODE -> NODE (or <->)", "mend", "heal", "drop RATE",
	"dup RATE", "jitter DURATION", "clog NODE -> NODE for DURATION", "spike NODE -> NODE DURATION [for DURATION]",
	"skew NODE [±OFFSET] [drift ±Nppm]", "reconfigure add NODE | remove NODE | replace NODE NODE",
}

// Synopsis is the plan syntax of a kind, for usage listings (simrun -list).
func (k Kind) Synopsis() string {
	if k < kindCount {
		return synopses[k]
	}
	return k.String()
}

// ParseKind is the inverse of Kind.String.
func ParseKind(s string) (Kind, error) {
	for i, n := range kindNames {
		if n == s {
			return Kind(i), nil
		}
	}
	return 0, fmt.Errorf("unknown fault %s (known: %s)", quote.Q(s), strings.Join(kindNames[:], ", "))
}

// partitionShape reports whether a kind divides the network into groups.
func (k Kind) partitionShape() bool { return k >= Isolate && k <= Partition }

// Fault is one value of the vocabulary. Which fields matter depends on Kind;
// the others are zero. Names refer to agents or boxes and are resolved against
// a world only when the fault is installed, so a fault is world-independent text.
type Fault struct {
	Kind Kind
	// Node is the agent or box of crash, restart, pause, resume, isolate, skew,
	// and of a bridge drawn at application time; of reconfigure, the server
	// that joins (add) or leaves (remove, replace).
	Node string
	// Groups are the sides of a partition shape; a name in two groups bridges
	// them. Empty for shapes drawn when applied (split, halves, bridge NODE).
	Groups [][]string
	// From and To are the ends of a link fault (cut, clog, spike); Both makes it
	// symmetric. To is also the server that takes Node's place in a
	// reconfigure replace.
	From, To string
	Both     bool
	Mode     sim.CrashMode // crash
	PPM      uint32        // drop, dup: rate in parts per million
	Delay    sim.Time      // jitter: extra delay range; spike: extra delay
	For      sim.Time      // pause, clog, spike: how long (0: until resumed or healed)
	Offset   sim.Time      // skew: step of the clock
	Drift    int64         // skew: new rate error, parts per million
	Change   ChangeOp      // reconfigure: add, remove or replace
}

var crashModes = [...]string{sim.LoseUnsynced: "lose", sim.KeepUnsynced: "keep", sim.TornWrites: "torn"}

// String renders f in the plan syntax. Parse(f.String()) == f for every valid f.
func (f Fault) String() string {
	var b strings.Builder
	b.WriteString(f.Kind.String())
	word := func(s string) { b.WriteByte(' '); b.WriteString(s) }
	switch f.Kind {
	case Crash:
		word(f.Node)
		if f.Mode != sim.LoseUnsynced {
			word(crashModes[f.Mode])
		}
	case Restart, Resume:
		word(f.Node)
	case Pause:
		word(f.Node)
		if f.For > 0 {
			word("for " + FormatDuration(f.For))
		}
	case Isolate, Split, Halves, Bridge, Partition:
		if len(f.Groups) == 0 {
			if f.Node != "" {
				word(f.Node)
			}
			break
		}
		for i, g := range f.Groups {
			if i > 0 {
				word("|")
			}
			word(strings.Join(g, " "))
		}
	case Cut:
		word(f.link())
	case Drop, Dup:
		word(FormatRate(f.PPM))
	case Jitter:
		word(FormatDuration(f.Delay))
	case Clog:
		word(f.link() + " for " + FormatDuration(f.For))
	case Spike:
		word(f.link() + " " + FormatDuration(f.Delay))
		if f.For > 0 {
			word("for " + FormatDuration(f.For))
		}
	case Skew:
		word(f.Node + " " + formatOffset(f.Offset) + " drift " + formatDrift(f.Drift))
	case Reconfigure:
		word(f.Change.String() + " " + f.Node)
		if f.Change == ChangeReplace {
			word(f.To)
		}
	}
	return b.String()
}

func (f Fault) link() string {
	arrow := "->"
	if f.Both {
		arrow = "<->"
	}
	return f.From + " " + arrow + " " + f.To
}

// Parse reads one fault in the plan syntax, e.g. "crash n2 torn" or
// "partition n1 n2 | n3". Errors give the column: "fault:1:7: ...".
func Parse(s string) (Fault, error) {
	p := newParser("fault", s)
	if p.peek().kind == tokEOF {
		return Fault{}, p.errorf(p.peek(), "expected a fault, found end of text")
	}
	f, err := p.fault("")
	if err != nil {
		return Fault{}, err
	}
	if t := p.peek(); t.kind != tokEOF {
		return Fault{}, p.errorf(t, "unexpected %s after %q", t.quote(), f.String())
	}
	return f, nil
}
