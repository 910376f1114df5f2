package protocols

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/orrery-sim/orrery/internal/quote"
	"github.com/orrery-sim/orrery/sim"
)

// ParamKind is the type of a protocol parameter's value.
type ParamKind uint8

// Parameter kinds.
const (
	ParamText ParamKind = iota // any text (a cluster file, a workload script)
	ParamBool                  // true or false
	ParamInt                   // a decimal integer in [Min, Max]
)

func (k ParamKind) String() string {
	switch k {
	case ParamBool:
		return "BOOL"
	case ParamInt:
		return "INT"
	}
	return "TEXT"
}

// Param declares a protocol parameter, set with -param NAME=VALUE. Resolve
// rejects undeclared names and values of the wrong kind, and `simrun -list`
// shows the declarations.
type Param struct {
	Name string
	Kind ParamKind
	// Default is the value when the parameter is not given; "" when the
	// protocol derives it from other settings (Summary says how, and the
	// run's Instance.Params shows what it chose).
	Default string
	Summary string
	// Min and Max bound a ParamInt, inclusive.
	Min, Max int
	// Shrink marks a ParamInt constant that a shrinker may lower towards Min
	// (a snapshot interval: a failure that needs a snapshot shows with fewer
	// entries once snapshots come every entry or two).
	Shrink bool
	// Raise marks a ParamInt constant that a shrinker may raise towards Max:
	// a period whose events a story rarely needs all of (a heartbeat
	// interval: fewer heartbeats between the messages the story is about).
	// A value the protocol refuses (a heartbeat no shorter than the election
	// timeout) is a candidate that fails to set up, nothing worse.
	Raise bool
	// PinsNodes marks a parameter whose value only makes sense for the
	// cluster size given with it (a quorum size): a swarm run given it does
	// not draw the number of nodes.
	PinsNodes bool
}

// Limits on every parameter, so that a typo cannot make a huge trace header.
const (
	paramValueBytesMax = 1 << 20
	paramIntMax        = 1 << 30
)

// checkParams validates params against p's declarations and returns them
// with numbers and booleans in canonical form (so that trace headers and
// reproduce lines spell a setting one way).
func (p *Protocol) checkParams(params map[string]string) (map[string]string, error) {
	if len(params) == 0 {
		return params, nil
	}
	out := maps.Clone(params)
	for _, name := range slices.Sorted(maps.Keys(params)) {
		decl, ok := p.Param(name)
		if !ok {
			return nil, fmt.Errorf("protocol %s has no parameter %s (%s)", p.Name, quote.Q(name), p.paramNames())
		}
		value, err := decl.canonical(params[name])
		if err != nil {
			return nil, fmt.Errorf("protocol %s: parameter %s: %v", p.Name, name, err)
		}
		out[name] = value
	}
	return out, nil
}

func (d Param) canonical(value string) (string, error) {
	if len(value) > paramValueBytesMax {
		return "", fmt.Errorf("value of %d bytes exceeds %d", len(value), paramValueBytesMax)
	}
	switch d.Kind {
	case ParamBool:
		if value != "true" && value != "false" {
			return "", fmt.Errorf("want true or false, got %s", quote.Q(value))
		}
	case ParamInt:
		n, err := strconv.Atoi(value)
		if err != nil || n < max(d.Min, -paramIntMax) || n > min(d.Max, paramIntMax) {
			return "", fmt.Errorf("want an integer from %d to %d, got %s", d.Min, d.Max, quote.Q(value))
		}
		return strconv.Itoa(n), nil
	}
	return value, nil
}

// Param finds a declared parameter by name.
func (p *Protocol) Param(name string) (Param, bool) {
	i := slices.IndexFunc(p.Params, func(d Param) bool { return d.Name == name })
	if i < 0 {
		return Param{}, false
	}
	return p.Params[i], true
}

func (p *Protocol) paramNames() string {
	if len(p.Params) == 0 {
		return "it takes none"
	}
	names := make([]string, len(p.Params))
	for i, d := range p.Params {
		names[i] = d.Name
	}
	return "known: " + strings.Join(names, ", ")
}

// BoolParam reads a ParamBool parameter, def when it is not given.
func BoolParam(params map[string]string, name string, def bool) (bool, error) {
	v, ok := params[name]
	if !ok {
		return def, nil
	}
	switch v {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, fmt.Errorf("parameter %s: want true or false, got %s", name, quote.Q(v))
}

// IntParam reads a ParamInt parameter, def when it is not given.
func IntParam(params map[string]string, name string, def int) (int, error) {
	v, ok := params[name]
	if !ok {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, fmt.Errorf("parameter %s: want an integer, got %s", name, quote.Q(v))
	}
	return n, nil
}

// MillisParam reads a ParamInt parameter in milliseconds as a virtual time,
// def when it is not given.
func MillisParam(params map[string]string, name string, def sim.Time) (sim.Time, error) {
	ms, err := IntParam(params, name, int(def/sim.Millisecond))
	return sim.Time(ms) * sim.Millisecond, err
}
