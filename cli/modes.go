package cli

import (
	"flag"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/orrery-sim/orrery/internal/memlimit"
	"github.com/orrery-sim/orrery/sim"
)

// mode is what one invocation does; the flags given select it, and every
// other flag given must belong to it (flagModes), so that a flag is never
// silently ignored.
type mode uint8

const (
	modeRun             mode = iota // one seed (the default)
	modeSweep                       // -seeds
	modeDeterminism                 // -check-determinism
	modeShrink                      // -shrink of -protocol/-seed
	modeReplay                      // -replay
	modeShrinkTrace                 // -replay -shrink
	modeHistory                     // -history
	modeExploreModel                // -explore -model
	modeExploreProtocol             // -explore -protocol
	modeList                        // -list
	modeVersion                     // -version
	modeHunt                        // -hunt or -runs
	modeCount
)

var modeNames = [modeCount]string{
	modeRun: "a single run", modeSweep: "-seeds", modeDeterminism: "-check-determinism", modeShrink: "-shrink",
	modeReplay: "-replay", modeShrinkTrace: "-replay -shrink", modeHistory: "-history",
	modeExploreModel: "-explore -model", modeExploreProtocol: "-explore -protocol", modeList: "-list",
	modeVersion: "-version", modeHunt: "-hunt",
}

func (m mode) String() string { return modeNames[m] }

// modes is a set of modes.
type modes uint16

func modesOf(ms ...mode) modes {
	var s modes
	for _, m := range ms {
		s |= 1 << m
	}
	return s
}

func (s modes) has(m mode) bool { return s&(1<<m) != 0 }

func (s modes) String() string {
	var names []string
	for m := range modeCount {
		if s.has(m) {
			names = append(names, m.String())
		}
	}
	return strings.Join(names, ", ")
}

// Groups of modes that share flags.
var (
	seededModes  = modesOf(modeRun, modeSweep, modeDeterminism, modeShrink, modeHunt) // a run built from flags
	exploreModes = modesOf(modeExploreModel, modeExploreProtocol)
	searchModes  = exploreModes | modesOf(modeHistory)
	shrinkModes  = modesOf(modeShrink, modeShrinkTrace)
)

// flagModes says which modes each flag belongs to. Every flag is listed
// (TestEveryFlagHasModes); the mode selectors belong to their own modes.
var flagModes = map[string]modes{
	"protocol": seededModes | modesOf(modeExploreProtocol),
	"config":   seededModes | modesOf(modeExploreProtocol),
	"seed":     seededModes&^modesOf(modeSweep) | exploreModes,
	"seeds":    modesOf(modeSweep),
	"workers":  modesOf(modeSweep, modeHunt) | exploreModes,
	"nodes":    seededModes | modesOf(modeExploreProtocol),
	"clients":  seededModes, "param": seededModes | modesOf(modeExploreProtocol), "ops": seededModes, "skip": seededModes, "start-at": seededModes,
	"time": seededModes, "liveness": seededModes, "end-after": seededModes, "faults": seededModes,
	"delay": seededModes, "fifo": seededModes, "sched": seededModes, "pct-depth": seededModes, "swarm-cluster": seededModes,
	"bug":   seededModes | exploreModes,
	"trace": modesOf(modeRun, modeExploreProtocol, modeHunt),
	"hunt":  modesOf(modeHunt), "runs": modesOf(modeHunt),
	"json":              modesOf(modeRun, modeSweep) | searchModes,
	"list":              modesOf(modeList),
	"version":           modesOf(modeVersion),
	"check-determinism": modesOf(modeDeterminism),
	"replay":            modesOf(modeReplay, modeShrinkTrace),
	"v":                 modesOf(modeRun, modeReplay),
	"until":             modesOf(modeRun, modeReplay),
	"step":              modesOf(modeReplay),
	"results":           modesOf(modeSweep), "resume": modesOf(modeSweep), "shard": modesOf(modeSweep),
	"shrink": shrinkModes, "o": shrinkModes, "shrink-runs": shrinkModes, "shrink-time": shrinkModes,
	"perfetto": modesOf(modeRun, modeReplay) | shrinkModes,
	"mermaid":  modesOf(modeRun, modeReplay) | shrinkModes,
	"html":     modesOf(modeRun, modeReplay, modeHistory) | shrinkModes,
	"history":  modesOf(modeHistory),
	"model":    modesOf(modeHistory, modeExploreModel),
	"format":   modesOf(modeHistory),
	"timeout":  searchModes, "max-memory": searchModes,
	"explore": exploreModes,
	"rms":     modesOf(modeExploreModel), "symmetry": modesOf(modeExploreModel), "full-state": modesOf(modeExploreModel),
	"dfs": exploreModes, "random": exploreModes, "walks": exploreModes, "max-states": exploreModes, "max-depth": exploreModes, "eventually": exploreModes,
	"deadlock": exploreModes,
	"network":  modesOf(modeExploreProtocol), "max-crashes": modesOf(modeExploreProtocol), "por": modesOf(modeExploreProtocol),
	"dpor": modesOf(modeExploreProtocol),
}

// selectors are the flags that choose a mode, in the order that names a
// conflict between two of them.
var selectors = []string{"version", "list", "history", "explore", "replay", "seeds", "check-determinism", "shrink", "hunt"}

// modeOf picks the mode the set flags select and checks that every set flag
// belongs to it: conflicting modes and flags that would be ignored are bad
// usage.
func modeOf(set map[string]bool) (mode, error) {
	var chosen []string
	for _, s := range selectors {
		hunt := s == "hunt" && set["runs"] // -runs alone hunts with the default strategy
		if (set[s] || hunt) && !(s == "shrink" && set["replay"]) {
			chosen = append(chosen, s)
		}
	}
	if len(chosen) > 1 {
		return 0, usagef("-%s and -%s exclude each other", chosen[0], chosen[1])
	}
	m := modeRun
	if len(chosen) == 1 {
		switch chosen[0] {
		case "version":
			m = modeVersion
		case "list":
			m = modeList
		case "history":
			m = modeHistory
		case "explore":
			m = modeExploreProtocol
			if set["model"] {
				m = modeExploreModel
			} else if !set["protocol"] && !set["config"] && !ownDefault {
				return 0, usagef("-explore needs -model NAME (a built-in model, see -list), -protocol NAME or -config FILE (a protocol's or a cluster's own agents)")
			}
		case "replay":
			m = modeReplay
			if set["shrink"] {
				m = modeShrinkTrace
			}
		case "seeds":
			m = modeSweep
		case "check-determinism":
			m = modeDeterminism
		case "shrink":
			m = modeShrink
		case "hunt":
			m = modeHunt
		}
	}
	if set["config"] && set["protocol"] {
		return 0, usagef("-config and -protocol exclude each other: the cluster file names the agents")
	}
	for _, name := range slices.Sorted(maps.Keys(set)) {
		if !flagModes[name].has(m) {
			return 0, usagef("-%s does not apply to %s (it applies to: %s)", name, m, flagModes[name])
		}
	}
	return m, nil
}

// setFlags lists the flags given on the command line.
func setFlags(fs *flag.FlagSet) map[string]bool {
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	return set
}

// memoryFlag is -max-memory: a size such as 8GiB (memlimit.Parse).
type memoryFlag uint64

func (m *memoryFlag) String() string {
	if m == nil || *m == 0 {
		return "0"
	}
	return memlimit.Format(uint64(*m))
}

func (m *memoryFlag) Set(s string) error {
	bytes, err := memlimit.Parse(s)
	*m = memoryFlag(bytes)
	return err
}

// durationFlag is a wall-clock flag in the one duration syntax
// (sim.ParseDuration): units required, never negative.
type durationFlag struct{ d *time.Duration }

func (f durationFlag) String() string {
	if f.d == nil || *f.d == 0 {
		return "0"
	}
	return f.d.String()
}

func (f durationFlag) Set(s string) error {
	t, err := sim.ParseDuration(s)
	*f.d = time.Duration(t)
	return err
}

// workersMax bounds -workers: each worker holds a world (a sweep) or a
// share of the frontier (-explore); more than this is a typo.
const workersMax = 1024

// usageLineBytesMax bounds the one line a usage error prints.
const usageLineBytesMax = 400

// oneLine renders a usage error as one printable line of bounded length:
// the flag package echoes flag names as typed, control bytes included.
func oneLine(err error) string {
	msg := err.Error()
	if strings.IndexFunc(msg, func(r rune) bool { return !unicode.IsPrint(r) }) >= 0 {
		quoted := strconv.Quote(msg)
		msg = quoted[1 : len(quoted)-1]
	}
	if len(msg) > usageLineBytesMax {
		cut := usageLineBytesMax
		for cut > 0 && !utf8.RuneStart(msg[cut]) {
			cut--
		}
		msg = msg[:cut] + "..."
	}
	return msg
}
