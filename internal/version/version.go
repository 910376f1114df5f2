package version

import (
	"fmt"
	"runtime/debug"
	"strings"
	"sync"
)

// modulePath is the module whose version is reported.
const modulePath = "github.com/orrery-sim/orrery"

// revisionShownMax is how many hex digits of the VCS revision String keeps.
const revisionShownMax = 12

// Unknown is how a missing version (a trace written before versions were
// recorded) reads.
const Unknown = "unknown"

var (
	once sync.Once
	info build
)

// build is what the running binary says about itself.
type build struct {
	module   string // the orrery module's version, "(devel)" for a build from a tree
	main     string // the main module, when it is not orrery ("" otherwise)
	revision string // vcs.revision, "" if not recorded
	time     string // vcs.time
	modified bool   // vcs.modified
	goVer    string
}

func load() build {
	b := build{module: "(devel)"}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return b
	}
	b.goVer = bi.GoVersion
	switch {
	case bi.Main.Path == modulePath || bi.Main.Path == "":
		b.module = orDevel(bi.Main.Version)
	default:
		b.main = strings.TrimSpace(bi.Main.Path + " " + orDevel(bi.Main.Version))
		for _, d := range bi.Deps {
			if d.Path == modulePath {
				if d.Replace != nil {
					d = d.Replace
				}
				b.module = orDevel(d.Version)
			}
		}
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			b.revision = s.Value
		case "vcs.time":
			b.time = s.Value
		case "vcs.modified":
			b.modified = s.Value == "true"
		}
	}
	return b
}

func orDevel(v string) string {
	if v == "" {
		return "(devel)"
	}
	return v
}

func get() build {
	once.Do(func() { info = load() })
	return info
}

// String is the running build in one line: the module version, the main
// module when a program of one's own embeds Orrery, and the VCS revision
// (abbreviated; "+modified" for a tree with uncommitted changes), e.g.
// "(devel) 3043682a1b2c+modified" or "v0.4.0 in example.com/mine (devel)".
func String() string { return get().String() }

func (b build) String() string {
	s := b.module
	if b.main != "" {
		s += " in " + b.main
	}
	if b.revision != "" {
		s += " " + b.revision[:min(len(b.revision), revisionShownMax)]
	}
	if b.modified {
		s += "+modified"
	}
	return s
}

// Lines describes the running build for simrun -version: the one-line
// version, then each piece of build information that is known.
func Lines() []string {
	b := get()
	out := []string{String()}
	add := func(key, value string) {
		if value != "" {
			out = append(out, fmt.Sprintf("  %-13s %s", key, value))
		}
	}
	add("module", modulePath+" "+b.module)
	add("main", b.main)
	add("vcs.revision", b.revision)
	add("vcs.time", b.time)
	if b.revision != "" {
		add("vcs.modified", fmt.Sprint(b.modified))
	}
	add("go", b.goVer)
	return out
}

// Or reads a recorded version, "" (not recorded) as Unknown.
func Or(recorded string) string {
	if recorded == "" {
		return Unknown
	}
	return recorded
}
