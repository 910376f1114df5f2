package cluster

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/orrery-sim/orrery/internal/quote"
)

// Limits of a cluster file, checked by Parse.
const (
	AgentsMax       = 512     // agents in one file
	TargetsMax      = 512     // targets of one route
	FileBytesMax    = 1 << 20 // size of a file
	idBytesMax      = 64      // length of an id, box or port name
	routesPerAgent  = 64      // virtual destinations of one agent
	nestingDepthMax = 64      // JSON nesting, so hostile files cannot exhaust the stack
)

// Cluster is a validated cluster file.
type Cluster struct {
	Agents []*Agent
	// Tolerates is how many server boxes may be down at once (the nemesis's
	// budget): the file's "tolerates", or a minority of the server boxes.
	Tolerates int
	byID      map[string]*Agent
}

// Agent is one validated agent of a cluster file.
type Agent struct {
	Index  int    // position in the file; also its sim.NodeID once set up
	ID     string // global id, unique in the file
	Box    string // box name; the agent's id when the file gives none
	Type   *Type
	Attrs  any                 // as decoded by the type
	Routes map[string][]Target // virtual destination → targets
	// Bug is the run's planted bug (protocols.Options.Bug), set by the
	// protocol that runs the cluster for the types' constructors; "": none.
	Bug string
	// Ops is the run's cap on the operations a client invokes itself
	// (protocols.Options.Ops), set like Bug; 0: no cap.
	Ops int
}

// Target is one (physical agent, port) pair of a route.
type Target struct {
	Agent string `json:"agent"`
	Port  string `json:"port"`
}

// Agent finds an agent by id.
func (c *Cluster) Agent(id string) (*Agent, bool) {
	a, ok := c.byID[id]
	return a, ok
}

var nameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]*$`)

// Parse reads and validates a cluster file.
func Parse(data []byte) (*Cluster, error) {
	if len(data) > FileBytesMax {
		return nil, Errorf("", "file of %d bytes exceeds %d", len(data), FileBytesMax)
	}
	if err := checkSyntax(data); err != nil {
		return nil, err
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil || top == nil {
		return nil, Errorf("", "want a JSON object with an \"agents\" array")
	}
	if err := onlyKeys("", top, "agents", "tolerates", "comment"); err != nil {
		return nil, err
	}
	var raws []json.RawMessage
	if err := json.Unmarshal(top["agents"], &raws); err != nil || len(raws) == 0 {
		return nil, Errorf("agents", "want a non-empty array of agents")
	}
	if len(raws) > AgentsMax {
		return nil, Errorf("agents", "%d agents exceed %d", len(raws), AgentsMax)
	}
	c := &Cluster{byID: map[string]*Agent{}}
	routes := make([]map[string]json.RawMessage, len(raws))
	for i, raw := range raws {
		a, r, err := parseAgent(Index("agents", i), i, raw)
		if err != nil {
			return nil, err
		}
		if prev, dup := c.byID[a.ID]; dup {
			return nil, Errorf(Index("agents", i)+".id", "duplicate id %q (also agents[%d])", a.ID, prev.Index)
		}
		c.byID[a.ID] = a
		c.Agents = append(c.Agents, a)
		routes[i] = r
	}
	for i, a := range c.Agents {
		if err := c.parseRoutes(a, routes[i]); err != nil {
			return nil, err
		}
	}
	if err := c.parseTolerates(top["tolerates"]); err != nil {
		return nil, err
	}
	for _, a := range c.Agents {
		if a.Type.Check == nil {
			continue
		}
		if err := a.Type.Check(c, a); err != nil {
			return nil, Under(Index("agents", a.Index), err)
		}
	}
	return c, nil
}

// checkSyntax reports malformed JSON with its line and column, and bounds the
// nesting depth.
func checkSyntax(data []byte) error {
	var se *json.SyntaxError
	if err := json.Unmarshal(data, new(json.RawMessage)); errors.As(err, &se) {
		at := se.Offset - 1 // Offset is just past the bad byte, or the length at a premature end
		if se.Offset >= int64(len(data)) {
			at = se.Offset
		}
		line, col := position(data, at)
		return Errorf("", "line %d, column %d: %v", line, col, se)
	} else if err != nil {
		return Errorf("", "%v", err)
	}
	depth, deepest := 0, 0
	inString, escaped := false, false
	for _, b := range data {
		switch {
		case escaped:
			escaped = false
		case inString && b == '\\':
			escaped = true
		case b == '"':
			inString = !inString
		case !inString && (b == '{' || b == '['):
			depth++
			deepest = max(deepest, depth)
		case !inString && (b == '}' || b == ']'):
			depth--
		}
	}
	if deepest > nestingDepthMax {
		return Errorf("", "JSON nested %d deep exceeds %d", deepest, nestingDepthMax)
	}
	return nil
}

func position(data []byte, offset int64) (line, col int) {
	offset = min(max(offset, 0), int64(len(data)))
	before := data[:offset]
	line = bytes.Count(before, []byte("\n")) + 1
	col = int(offset) - bytes.LastIndexByte(before, '\n')
	return line, col
}

// onlyKeys rejects members other than the known ones, naming the first (sorted).
func onlyKeys(path string, obj map[string]json.RawMessage, known ...string) error {
	var unknown []string
	for k := range obj { // lint:ordered sorted below
		if !slices.Contains(known, k) {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return Errorf(Field(path, unknown[0]), "unknown field (known: %s)", strings.Join(known, ", "))
	}
	return nil
}

func parseName(path string, raw json.RawMessage, what string, required bool) (string, error) {
	if raw == nil {
		if required {
			return "", Errorf(path, "missing %s", what)
		}
		return "", nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", Errorf(path, "want a string, got %s", clip(raw))
	}
	if !nameRE.MatchString(s) || len(s) > idBytesMax {
		return "", Errorf(path, "bad %s %s (letters, digits, '_', '.', '-'; at most %d bytes)", what, quote.Q(s), idBytesMax)
	}
	return s, nil
}

func clip(raw json.RawMessage) string {
	const clipBytes = 40
	s := string(raw)
	if len(s) > clipBytes {
		s = s[:clipBytes] + "..."
	}
	return s
}

func parseAgent(path string, i int, raw json.RawMessage) (*Agent, map[string]json.RawMessage, error) {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil || obj == nil {
		return nil, nil, Errorf(path, "want an object, got %s", clip(raw))
	}
	if err := onlyKeys(path, obj, "id", "box", "type", "attrs", "routes"); err != nil {
		return nil, nil, err
	}
	a := &Agent{Index: i}
	var err error
	if a.ID, err = parseName(path+".id", obj["id"], "id", true); err != nil {
		return nil, nil, err
	}
	if a.Box, err = parseName(path+".box", obj["box"], "box", false); err != nil {
		return nil, nil, err
	}
	if a.Box == "" {
		a.Box = a.ID
	}
	var typeName string
	if err := json.Unmarshal(obj["type"], &typeName); err != nil || obj["type"] == nil {
		return nil, nil, Errorf(path+".type", "want a type name (known: %s)", strings.Join(TypeNames(), ", "))
	}
	t, ok := LookupType(typeName)
	if !ok {
		return nil, nil, Errorf(path+".type", "unknown type %s (known: %s)", quote.Q(typeName), strings.Join(TypeNames(), ", "))
	}
	a.Type = t
	if a.Attrs, err = parseAttrs(path+".attrs", t, obj["attrs"]); err != nil {
		return nil, nil, err
	}
	var routes map[string]json.RawMessage
	if r := obj["routes"]; r != nil {
		if err := json.Unmarshal(r, &routes); err != nil {
			return nil, nil, Errorf(path+".routes", "want an object of virtual destinations, got %s", clip(r))
		}
	}
	return a, routes, nil
}

func parseAttrs(path string, t *Type, raw json.RawMessage) (any, error) {
	if t.Attrs == nil {
		if raw != nil && string(raw) != "null" && string(raw) != "{}" {
			return nil, Errorf(path, "type %s takes no attributes", t.Name)
		}
		return nil, nil
	}
	if raw != nil && (len(raw) == 0 || raw[0] != '{') && string(raw) != "null" {
		return nil, Errorf(path, "want an object, got %s", clip(raw))
	}
	v, err := t.Attrs(raw)
	if err != nil {
		return nil, Under(path, err)
	}
	return v, nil
}

// parseRoutes validates an agent's routing table against its type and the
// agents of the file.
func (c *Cluster) parseRoutes(a *Agent, raw map[string]json.RawMessage) error {
	path := Index("agents", a.Index) + ".routes"
	if len(raw) > routesPerAgent {
		return Errorf(path, "%d routes exceed %d", len(raw), routesPerAgent)
	}
	a.Routes = map[string][]Target{}
	names := make([]string, 0, len(raw))
	for name := range raw { // lint:ordered sorted below
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		spec, ok := a.Type.route(name)
		if !ok {
			return Errorf(Key(path, name), "type %s has no route %s (routes: %s)", a.Type.Name, quote.Q(name), a.Type.routeNames())
		}
		targets, err := c.parseTargets(Key(path, name), raw[name], spec)
		if err != nil {
			return err
		}
		a.Routes[name] = targets
	}
	for _, spec := range a.Type.Routes {
		if _, ok := a.Routes[spec.Name]; !ok && spec.Min > 0 {
			return Errorf(path, "type %s needs route %q (%s target)", a.Type.Name, spec.Name, spec.describe())
		}
	}
	return nil
}

func (c *Cluster) parseTargets(path string, raw json.RawMessage, spec RouteSpec) ([]Target, error) {
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, Errorf(path, "want an array of {\"agent\", \"port\"} targets, got %s", clip(raw))
	}
	if len(items) < spec.Min || (spec.Max > 0 && len(items) > spec.Max) || len(items) > TargetsMax {
		return nil, Errorf(path, "want %s target(s), got %d", spec.describe(), len(items))
	}
	var targets []Target
	for j, item := range items {
		t, err := c.parseTarget(Index(path, j), item)
		if err != nil {
			return nil, err
		}
		if to := c.byID[t.Agent]; spec.Types != nil && !slices.Contains(spec.Types, to.Type.Name) {
			return nil, Errorf(Index(path, j)+".agent", "%s is a %s; route %q sends only to %s agents",
				to.ID, to.Type.Name, spec.Name, strings.Join(spec.Types, ", "))
		}
		if slices.Contains(targets, t) {
			return nil, Errorf(Index(path, j), "target %s:%s twice", t.Agent, t.Port)
		}
		targets = append(targets, t)
	}
	return targets, nil
}

func (c *Cluster) parseTarget(path string, raw json.RawMessage) (Target, error) {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil || obj == nil {
		return Target{}, Errorf(path, "want {\"agent\": ID, \"port\": PORT}, got %s", clip(raw))
	}
	if err := onlyKeys(path, obj, "agent", "port"); err != nil {
		return Target{}, err
	}
	var t Target
	var err error
	if t.Agent, err = parseName(path+".agent", obj["agent"], "agent id", true); err != nil {
		return t, err
	}
	to, ok := c.byID[t.Agent]
	if !ok {
		return t, Errorf(path+".agent", "no agent %q", t.Agent)
	}
	if t.Port, err = parseName(path+".port", obj["port"], "port", true); err != nil {
		return t, err
	}
	if !slices.Contains(to.Type.Ports, t.Port) {
		return t, Errorf(path+".port", "%s (%s) has no port %q (ports: %s)", to.ID, to.Type.Name, t.Port, strings.Join(to.Type.Ports, ", "))
	}
	return t, nil
}

func (c *Cluster) parseTolerates(raw json.RawMessage) error {
	boxes := c.ServerBoxes()
	c.Tolerates = max(0, (len(boxes)-1)/2)
	if raw == nil {
		return nil
	}
	var n int
	if err := json.Unmarshal(raw, &n); err != nil || n < 0 || n > len(boxes) {
		return Errorf("tolerates", "want a number of server boxes from 0 to %d, got %s", len(boxes), clip(raw))
	}
	c.Tolerates = n
	return nil
}

// ServerBoxes lists the boxes that host a server agent, in file order.
func (c *Cluster) ServerBoxes() []string {
	var boxes []string
	for _, a := range c.Agents {
		if a.Type.Server && !slices.Contains(boxes, a.Box) {
			boxes = append(boxes, a.Box)
		}
	}
	return boxes
}

// String summarises the cluster for banners.
func (c *Cluster) String() string {
	servers := 0
	for _, a := range c.Agents {
		if a.Type.Server {
			servers++
		}
	}
	return fmt.Sprintf("%d agents (%d servers) on %d boxes", len(c.Agents), servers, len(c.boxes()))
}

func (c *Cluster) boxes() []string {
	var boxes []string
	for _, a := range c.Agents {
		if !slices.Contains(boxes, a.Box) {
			boxes = append(boxes, a.Box)
		}
	}
	return boxes
}
