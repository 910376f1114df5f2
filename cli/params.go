package cli

import (
	"fmt"
	"slices"
	"strconv"
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
	if cfg.Skip != "" {
		args = append(args, "-skip", shellQuote(cfg.Skip))
	}
	if cfg.StartAt != "" {
		args = append(args, "-start-at", shellQuote(cfg.StartAt))
	}
	// With -nodes and -clients given, a drawn cluster redraws only who stays
	// down for good, alike; under swarm faults that is the default.
	swarm := strings.TrimSpace(cfg.Faults) == "swarm"
	switch {
	case cfg.SwarmCluster && !swarm:
		args = append(args, "-swarm-cluster")
	case cfg.FixedCluster && swarm:
		args = append(args, "-swarm-cluster=false")
	}
	return args
}

// swarmClusterFlag is -swarm-cluster: unset, the cluster is drawn under swarm
// faults; set, it is drawn (true) or kept as given (false) whatever the faults.
type swarmClusterFlag struct{ cfg *harness.Config }

func (f swarmClusterFlag) String() string {
	if f.cfg == nil || (!f.cfg.SwarmCluster && !f.cfg.FixedCluster) {
		return ""
	}
	return strconv.FormatBool(f.cfg.SwarmCluster)
}

func (f swarmClusterFlag) Set(s string) error {
	b, err := strconv.ParseBool(s)
	if err != nil {
		return fmt.Errorf("want true or false, got %q", s)
	}
	f.cfg.SwarmCluster, f.cfg.FixedCluster = b, !b
	return nil
}

func (swarmClusterFlag) IsBoolFlag() bool { return true }

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
