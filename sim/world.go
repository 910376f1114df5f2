package sim

import (
	"fmt"
	"reflect"
	"strconv"

	"github.com/orrery-sim/orrery/internal/assert"
	"github.com/orrery-sim/orrery/scheduler"
	"github.com/orrery-sim/orrery/traces"
)

// World is one simulated run: agents on boxes, the network, the event queue.
// A World is not safe for concurrent use; parallel sweeps run one World per seed.
type World struct {
	now      Time
	seq      uint64 // number of trace events emitted so far
	queue    queue
	nodes    []*node
	boxes    []*box
	byName   map[string]NodeID
	boxByID  map[string]int
	net      network
	chooser  scheduler.Chooser
	history  History
	phase    Phase
	props    []*propertyState
	trans    []Transition // judged after every handler
	before   []any        // what trans read before the running handler
	onLive   []func(*World)
	ctx      Context
	limits   Limits
	stats    Stats
	hash     uint64
	msgSeq   uint64
	started  bool
	result   *Result
	types    map[reflect.Type]typeName
	lastType reflect.Type // one-entry cache in front of types
	lastName typeName

	sink           func(*traces.Event) // nil unless tracing
	choices        []scheduler.Choice  // drawn since the last emitted event (tracing only)
	pending        []*traces.Event     // the events of this step, held until its handler's summary is in
	current        NodeID              // the node whose handler runs, or External
	stack          string              // stack of the panic that ended the run
	liveAt         Time                // start of the liveness phase
	requeued       int                 // events re-queued at this instant awaiting a Start
	running        NodeID              // whose code runs now: an agent, External (an action) or runningEngine
	checking       string              // the property whose Check runs now, "" otherwise
	sometimesLater bool                // JudgeSometimesOverCampaign: a never-held sometimes does not fail the run
	inSink         bool                // the trace sink runs: its panics are the caller's, not the run's
	stopAt         uint64              // StopAfter: no step starts once this many events ran (0: no bound)
	endAt          uint64              // EndAfter: the run ends, judged, once this many events ran (0: no bound)
}

type node struct {
	id          NodeID
	name        string
	box         int
	spec        AgentSpec
	agent       Agent
	storage     *Storage
	up          bool
	incarnation uint32
	timers      []timerSlot
	clockOffset Time
	driftPPM    int64
	summary     string // the agent's last traced Summary ("" after a crash)
	startAt     Time   // its first Start (StartLate; 0: with the others)
	started     bool   // its first Start has run
}

type timerSlot struct {
	name  string
	gen   uint32
	armed bool
	at    Time
}

type box struct {
	name     string
	nodes    []NodeID
	up       bool
	paused   bool
	deferred []deferred
}

type deferred struct {
	at Time
	ev event
}

type eventKind uint8

const (
	evStart eventKind = iota
	evDeliver
	evTimer
	evAction
)

// event is a scheduled happening. Fields not used by a kind are zero.
type event struct {
	kind   eventKind
	node   NodeID
	from   NodeID
	inc    uint32 // incarnation of node when scheduled (start, timer)
	gen    uint32 // timer generation
	slot   int32  // timer slot
	msgID  uint64
	sentAt Time
	msg    Message
	action *action
}

type action struct {
	label string
	fn    func(*World)
}

// Limits bound a run. Zero fields take the defaults.
type Limits struct {
	EventsMax   uint64 // trace events in one run
	QueueMax    int    // scheduled events at once
	TimersMax   int    // distinct timer names per agent
	NodesMax    int    // agents in one world
	DeferredMax int    // events queued on one paused box
}

// DefaultLimits are generous bounds that only a runaway protocol reaches.
var DefaultLimits = Limits{EventsMax: 50_000_000, QueueMax: 1 << 22, TimersMax: 64, NodesMax: 1024, DeferredMax: 1 << 20}

// Options configure a new World.
type Options struct {
	Chooser scheduler.Chooser // required
	Network NetworkConfig     // zero means DefaultNetwork
	Limits  Limits
}

// New returns an empty world.
func New(o Options) *World {
	assert.That(o.Chooser != nil, "sim.New without a chooser")
	if o.Network == (NetworkConfig{}) {
		o.Network = DefaultNetwork
	}
	l := o.Limits
	d := DefaultLimits
	if l.EventsMax == 0 {
		l.EventsMax = d.EventsMax
	}
	if l.QueueMax == 0 {
		l.QueueMax = d.QueueMax
	}
	if l.TimersMax == 0 {
		l.TimersMax = d.TimersMax
	}
	if l.NodesMax == 0 {
		l.NodesMax = d.NodesMax
	}
	if l.DeferredMax == 0 {
		l.DeferredMax = d.DeferredMax
	}
	w := &World{
		chooser: o.Chooser, limits: l, byName: map[string]NodeID{}, boxByID: map[string]int{},
		types: map[reflect.Type]typeName{}, hash: fnvOffset, current: External, running: runningEngine,
	}
	w.SetNetwork(o.Network)
	w.net.routing = External
	w.ctx.w = w
	return w
}

// AddAgent adds an agent before the run starts and returns its id.
func (w *World) AddAgent(spec AgentSpec) NodeID {
	assert.That(!w.started, "AddAgent %q after the run started", spec.Name)
	assert.That(spec.Name != "" && spec.New != nil, "AddAgent needs a name and a constructor")
	_, dup := w.byName[spec.Name]
	assert.That(!dup, "two agents named %q", spec.Name)
	assert.That(len(w.nodes) < w.limits.NodesMax, "more than %d agents", w.limits.NodesMax)
	if spec.Box == "" {
		spec.Box = spec.Name
	}
	b, ok := w.boxByID[spec.Box]
	if !ok {
		b = len(w.boxes)
		w.boxByID[spec.Box] = b
		w.boxes = append(w.boxes, &box{name: spec.Box, up: true})
	}
	id := NodeID(len(w.nodes))
	w.nodes = append(w.nodes, &node{id: id, name: spec.Name, box: b, spec: spec, storage: NewStorage(), up: true})
	w.boxes[b].nodes = append(w.boxes[b].nodes, id)
	w.byName[spec.Name] = id
	w.net.grow(len(w.nodes))
	return id
}

func (w *World) valid(id NodeID) bool { return id >= 0 && int(id) < len(w.nodes) }

// Now is the current virtual time.
func (w *World) Now() Time { return w.now }

// Events is the number of trace events so far.
func (w *World) Events() uint64 { return w.seq }

// Len is the number of agents.
func (w *World) Len() int { return len(w.nodes) }

// Name is an agent's name ("external" for External).
func (w *World) Name(id NodeID) string {
	if id == External {
		return "external"
	}
	return w.nodes[id].name
}

// Lookup finds an agent by name.
func (w *World) Lookup(name string) (NodeID, bool) {
	id, ok := w.byName[name]
	return id, ok
}

// Agent returns the live agent, or nil while its box is down.
func (w *World) Agent(id NodeID) Agent { return w.nodes[id].agent }

// Up reports whether the agent's box is running.
func (w *World) Up(id NodeID) bool { return w.nodes[id].up }

// Started reports whether the agent's first Start has run. An agent without
// one (a client StartLate holds back, or any agent before the run's first
// events) does not exist yet: a report calls it not started, not down.
func (w *World) Started(id NodeID) bool { return w.nodes[id].started }

// SentTotal is the number of messages sent so far in the run: a checker that
// compares it across events learns whether the last handler sent anything
// without copying the run's counters (Stats).
func (w *World) SentTotal() uint64 { return w.stats.Sent }

// StorageOf returns an agent's durable store (for checkers and scenario output).
func (w *World) StorageOf(id NodeID) *Storage { return w.nodes[id].storage }

// BoxOf names the box an agent lives on.
func (w *World) BoxOf(id NodeID) string { return w.boxes[w.nodes[id].box].name }

// Boxes lists box names in the order they were created.
func (w *World) Boxes() []string {
	names := make([]string, len(w.boxes))
	for i, b := range w.boxes {
		names[i] = b.name
	}
	return names
}

// BoxAgents lists the agents on a box.
func (w *World) BoxAgents(name string) []NodeID {
	b, ok := w.boxByID[name]
	if !ok {
		return nil
	}
	return append([]NodeID(nil), w.boxes[b].nodes...)
}

// BoxUp reports whether a box is running (not crashed).
func (w *World) BoxUp(name string) bool { return w.boxes[w.boxIndex(name)].up }

// BoxPaused reports whether a box is paused.
func (w *World) BoxPaused(name string) bool { return w.boxes[w.boxIndex(name)].paused }

// History is the client history so far.
func (w *World) History() *History { return &w.history }

// Current is the agent whose handler is running or just ran (External otherwise),
// so that checkers can look only at what changed.
func (w *World) Current() NodeID { return w.current }

// Phase is the phase of the run.
func (w *World) Phase() Phase { return w.phase }

// SetTrace sends every event, rendered, to sink. Set it before the run starts.
func (w *World) SetTrace(sink func(*traces.Event)) {
	assert.That(!w.started, "SetTrace after the run started")
	w.sink = sink
}

// Choose draws a choice for a non-agent purpose (workloads, the nemesis).
func (w *World) Choose(p scheduler.Purpose, n uint64) uint64 { return w.choose(p, n) }

func (w *World) choose(p scheduler.Purpose, n uint64) uint64 {
	v := w.chooser.Choose(p, n)
	if w.sink != nil {
		w.choices = append(w.choices, scheduler.Choice{Purpose: p, N: n, Value: v})
	}
	return v
}

// LocalTime is virtual time as an agent's clock shows it.
func (w *World) LocalTime(id NodeID) Time { return w.localTime(id) }

func (w *World) localTime(id NodeID) Time {
	n := w.nodes[id]
	// Split the product so that it cannot overflow int64 at any virtual time.
	now := int64(w.now)
	return w.now + n.clockOffset + Time(now/ppm*n.driftPPM+now%ppm*n.driftPPM/ppm)
}

// SetClock skews an agent's clock by offset and makes it run driftPPM parts per
// million fast (negative: slow). Its timers fire correspondingly early or late.
func (w *World) SetClock(id NodeID, offset Time, driftPPM int64) {
	assert.That(driftPPM > -ppm/2 && driftPPM < ppm, "clock drift %d ppm", driftPPM)
	n := w.nodes[id]
	n.clockOffset, n.driftPPM = offset, driftPPM
}

// Clock returns an agent's clock offset and drift.
func (w *World) Clock(id NodeID) (Time, int64) { return w.nodes[id].clockOffset, w.nodes[id].driftPPM }

func itoa(v int64) string { return strconv.FormatInt(v, 10) }

// String summarises the world for debugging.
func (w *World) String() string {
	return fmt.Sprintf("world{t=%v events=%d agents=%d queued=%d}", w.now, w.seq, len(w.nodes), w.queue.len())
}
