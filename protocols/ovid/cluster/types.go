package cluster

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/orrery-sim/orrery/sim"
)

// Type is an agent type that cluster files may name.
type Type struct {
	Name    string
	Summary string
	// Server: the nemesis may fault the boxes of agents of this type.
	Server bool
	// Ports are the ports other agents' routes may target at an agent of this type.
	Ports []string
	// Routes are the virtual destinations an agent of this type sends to.
	Routes []RouteSpec
	// Attrs decodes and validates an agent's attributes (raw is nil when the file
	// has none). Errors may be *Error with a path relative to the attributes.
	// Nil: the type takes no attributes.
	Attrs func(raw json.RawMessage) (any, error)
	// New builds a fresh agent: at the start and at every restart of its box.
	New func(a *Agent, r *Router) sim.Agent
	// Properties, when set, adds the properties a run with agents of this type
	// checks. It is called once per run, with every agent of the type.
	Properties func(w *sim.World, c *Cluster, agents []*Agent)
	// Check, when set, validates an agent of this type against the whole
	// cluster once every route is parsed: limits that depend on other agents
	// (how much input reaches it), so that a file that would overload an
	// agent at run time is refused at load. Errors may be *Error with a path
	// relative to the agent.
	Check func(c *Cluster, a *Agent) error
}

// RouteSpec is a virtual destination a type sends to, and how many targets it
// may fan out to.
type RouteSpec struct {
	Name     string
	Min, Max int // Max 0: no limit
	// Types are the agent types the route may target: the ones that
	// understand what the sender sends on it. Nil: any type.
	Types []string
}

var types = map[string]*Type{}

// RegisterType adds an agent type. It panics on a duplicate name (a
// programming error).
func RegisterType(t *Type) {
	if _, dup := types[t.Name]; dup {
		panic("cluster: type registered twice: " + t.Name)
	}
	types[t.Name] = t
}

// LookupType finds an agent type by name.
func LookupType(name string) (*Type, bool) {
	t, ok := types[name]
	return t, ok
}

// TypeNames lists the registered types, sorted.
func TypeNames() []string {
	names := make([]string, 0, len(types))
	for n := range types { // lint:ordered sorted below
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func (t *Type) route(name string) (RouteSpec, bool) {
	i := slices.IndexFunc(t.Routes, func(r RouteSpec) bool { return r.Name == name })
	if i < 0 {
		return RouteSpec{}, false
	}
	return t.Routes[i], true
}

func (t *Type) routeNames() string {
	var names []string
	for _, r := range t.Routes {
		names = append(names, r.Name)
	}
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

func (r RouteSpec) describe() string {
	switch {
	case r.Min == r.Max:
		return fmt.Sprintf("exactly %d", r.Min)
	case r.Max == 0:
		return fmt.Sprintf("at least %d", r.Min)
	}
	return fmt.Sprintf("%d to %d", r.Min, r.Max)
}

// DecodeAttrs decodes raw into dst strictly: unknown fields are errors. A nil raw
// leaves dst as it is (the type's defaults).
func DecodeAttrs(raw json.RawMessage, dst any) error {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		var te *json.UnmarshalTypeError
		if ok := asTypeError(err, &te); ok && te.Field != "" {
			return Errorf("."+te.Field, "want %v, got JSON %s", te.Type, te.Value)
		}
		if f, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
			name := strings.Trim(f, `"`)
			return Errorf("."+name, "unknown attribute")
		}
		return Errorf("", "%v", strings.TrimPrefix(err.Error(), "json: "))
	}
	return nil
}

func asTypeError(err error, te **json.UnmarshalTypeError) bool {
	t, ok := err.(*json.UnmarshalTypeError)
	*te = t
	return ok
}
