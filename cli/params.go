package cli

import (
	"fmt"
	"slices"
	"strings"

	"github.com/orrery-sim/orrery/harness"
	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/protocols/ovid"
)

// paramFlag collects repeated -param KEY=VALUE flags into a map.
type paramFlag struct{ params *map[string]string }

func (p paramFlag) String() string {
	if p.params == nil {
		return ""
	}
	return strings.Join(paramArgs(*p.params, false), " ")
}

func (p paramFlag) Set(s string) error {
	key, value, ok := strings.Cut(s, "=")
	if !ok || key == "" {
		return fmt.Errorf("want KEY=VALUE, got %q", s)
	}
	if *p.params == nil {
		*p.params = map[string]string{}
	}
	(*p.params)[key] = value
	return nil
}

// paramArgs renders params as sorted -param flags; skipCluster leaves out the
// cluster text that a -config file supplies.
func paramArgs(params map[string]string, skipCluster bool) []string {
	keys := make([]string, 0, len(params))
	for k := range params {
		if !(skipCluster && k == ovid.ParamCluster) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	var args []string
	for _, k := range keys {
		args = append(args, "-param", shellQuote(k+"="+params[k]))
	}
	return args
}

// extraArgs renders the settings a reproduce line needs beyond the basics.
func extraArgs(cfg harness.Config) []string {
	args := paramArgs(cfg.Params, configFile != "")
	if cfg.Ops != 0 {
		args = append(args, "-ops", fmt.Sprint(cfg.Ops))
	}
	return args
}

// paramDefault renders a declared parameter's default for -list.
func paramDefault(d protocols.Param) string {
	switch {
	case d.Default == "":
		return ""
	case len(d.Default) > paramDefaultShownMax:
		return fmt.Sprintf(" (default %q...)", d.Default[:paramDefaultShownMax])
	}
	return fmt.Sprintf(" (default %s)", d.Default)
}

// paramDefaultShownMax cuts long defaults (a workload script) in -list.
const paramDefaultShownMax = 24
