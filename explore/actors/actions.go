package actors

import (
	"fmt"
	"slices"
	"strings"

	"github.com/orrery-sim/orrery/sim"
)

// ActionKind says what an Action does.
type ActionKind uint8

// The actions.
const (
	Deliver ActionKind = iota // a message in flight arrives
	Drop                      // a message in flight is lost (lossy network)
	Fire                      // an armed timer fires
	Request                   // the next client request arrives at a server
	Crash                     // a box crashes: volatile state, timers and unsynced writes are lost
	Restart                   // a crashed box restarts: its agents run Start on what was synced
)

// Action is one enabled transition of a state. It carries what it acts on,
// so that it renders without the state.
type Action struct {
	Kind  ActionKind
	Index int         // Deliver, Drop: position in the in-flight list; Crash, Restart: box
	Node  sim.NodeID  // Deliver: receiver; Fire: the agent; Request: the server
	From  sim.NodeID  // Deliver, Drop: sender
	Msg   sim.Message // Deliver, Drop: the message; Request: the operation
	Timer string      // Fire
	fp    uint64      // Deliver, Drop: the envelope's fingerprint
}

// InitStates implements explore.Model: every agent started, in id order, on
// an empty store.
func (m *Model) InitStates() []State {
	sb := m.get()
	defer m.put(sb)
	return []State{m.initState(sb, nil)}
}

// initState is InitStates()[0], traced by tr.
func (m *Model) initState(sb *sandbox, tr *tracer) State {
	s := State{nodes: make([]*node, len(m.names))}
	for id := range s.nodes {
		s.nodes[id] = m.internNode(newNode(nil, sim.NewStorage(), nil, m.timed()))
	}
	for id := range s.nodes {
		tr.start(sim.NodeID(id))
		m.run(sb, &s, sim.Call{Kind: sim.CallStart, Node: sim.NodeID(id)}, tr)
	}
	return s
}

// Actions implements explore.Model. The order is deliveries and drops in
// in-flight order, timers by agent and name, requests by server, crashes and
// restarts by box: a function of the state alone.
func (m *Model) Actions(s State, actions []Action) []Action {
	if s.panic != "" {
		return actions
	}
	for i, e := range s.net {
		if m.notFirst(s.net, i) {
			continue
		}
		if s.nodes[e.to].agent != nil {
			actions = append(actions, Action{Kind: Deliver, Index: i, Node: e.to, From: e.from, Msg: e.msg, fp: e.fp})
		}
		if m.cfg.Network == Lossy {
			actions = append(actions, Action{Kind: Drop, Index: i, Node: e.to, From: e.from, Msg: e.msg, fp: e.fp})
		}
	}
	actions = m.timerActions(s, actions)
	actions = m.requestActions(s, actions)
	down := 0
	for _, b := range m.boxes {
		if b.faultable && m.isDown(s, b) {
			down++
		}
	}
	for i, b := range m.boxes {
		switch {
		case m.isDown(s, b):
			actions = append(actions, Action{Kind: Restart, Index: i})
		case b.faultable && s.crashes < m.cfg.CrashesMax && down < m.tolerates:
			actions = append(actions, Action{Kind: Crash, Index: i})
		}
	}
	return actions
}

// requestActions appends a Request action per server that is up and takes
// the next request.
func (m *Model) requestActions(s State, actions []Action) []Action {
	if s.issued >= len(m.cfg.Requests) {
		return actions
	}
	req := m.cfg.Requests[s.issued]
	accepts := m.cfg.Accepts
	if m.cfg.AcceptsRequest != nil {
		accepts = func(w *sim.World, id sim.NodeID) bool { return m.cfg.AcceptsRequest(w, id, req) }
	}
	var sb *sandbox
	if accepts != nil {
		sb = m.show(s)
		defer m.put(sb)
	}
	for _, id := range m.targets {
		if s.nodes[id].agent != nil && (sb == nil || accepts(sb.sb.World(), id)) {
			actions = append(actions, Action{Kind: Request, Node: id, Msg: req})
		}
	}
	return actions
}

// timerActions appends a Fire action per armed timer that may fire: under
// timed exploration, one whose deadline is within TimeMax.
func (m *Model) timerActions(s State, actions []Action) []Action {
	var sb *sandbox
	if m.cfg.Fires != nil {
		sb = m.show(s)
		defer m.put(sb)
	}
	for id, n := range s.nodes {
		for _, t := range n.timers {
			if m.timed() && t.deadline() > m.cfg.TimeMax {
				continue
			}
			if sb == nil || m.cfg.Fires(sb.sb.World(), sim.NodeID(id), t.name) {
				actions = append(actions, Action{Kind: Fire, Node: sim.NodeID(id), Timer: t.name})
			}
		}
	}
	return actions
}

func (m *Model) isDown(s State, b box) bool { return s.nodes[b.agents[0]].agent == nil }

// NextState implements explore.Model. It never modifies s.
func (m *Model) NextState(s State, a Action) (State, bool) {
	sb := m.get()
	defer m.put(sb)
	return m.step(sb, s, a, nil), true
}

// step computes the successor of s under a in sandbox sb; tr, when not nil,
// sees the sends.
func (m *Model) step(sb *sandbox, s State, a Action, tr *tracer) State {
	next := s
	next.nodes = slices.Clone(s.nodes)
	switch a.Kind {
	case Deliver:
		if m.cfg.Network != Duplicating {
			next.net = removeAt(s.net, a.Index)
		}
		m.run(sb, &next, sim.Call{Kind: sim.CallReceive, Node: a.Node, From: a.From, Msg: a.Msg}, tr)
	case Drop:
		next.net = removeAt(s.net, a.Index)
	case Fire:
		n := s.nodes[a.Node]
		i := slices.IndexFunc(n.timers, func(t timer) bool { return t.name == a.Timer })
		next.now = max(s.now, n.timers[i].deadline()) // untimed: both 0
		timers := slices.Delete(slices.Clone(n.timers), i, i+1)
		next.nodes[a.Node] = &node{agent: n.agent, storage: n.storage, timers: timers} // run fingerprints it
		m.run(sb, &next, sim.Call{Kind: sim.CallTimer, Node: a.Node, Timer: a.Timer}, tr)
	case Request:
		history := next.historyCopy()
		id := sb.sb.Invoke(&history, a.Node, a.Msg)
		if m.cfg.OrderedHistory {
			history.Ops[id].Call = historyEvents(s.history)
			history.Logical = true
			m.stampClock(&history, s.now)
		}
		next.history, next.issued = &history, s.issued+1
		req := sim.Request{ID: id, Payload: a.Msg}
		tr.request(a.Node, req)
		m.run(sb, &next, sim.Call{Kind: sim.CallReceive, Node: a.Node, From: sim.External, Msg: req}, tr)
	case Crash:
		next.crashes++
		for _, id := range m.boxes[a.Index].agents {
			next.nodes[id] = m.internNode(newNode(nil, s.nodes[id].storage.Crashed(), nil, m.timed()))
		}
	case Restart:
		for _, id := range m.boxes[a.Index].agents {
			tr.start(id)
			m.run(sb, &next, sim.Call{Kind: sim.CallStart, Node: id}, tr)
		}
	}
	return next
}

// judgeStep checks the step of agent id, now agent, against the transition
// properties, and returns "property: reason" for the first it breaks.
func judgeStep(sb *sandbox, id sim.NodeID, agent sim.Agent) string {
	for i, t := range sb.trans {
		if err := t.Check(id, sb.before[i], t.Observe(agent)); err != nil {
			return t.Name + ": " + err.Error()
		}
	}
	return ""
}

// historyEvents is the number of invocations and returns in h: the logical
// time of its next event.
func historyEvents(h *sim.History) sim.Time {
	if h == nil {
		return 0
	}
	n := len(h.Ops)
	for _, op := range h.Ops {
		if op.Done {
			n++
		}
	}
	return sim.Time(n)
}

// stampReturns gives the operations that returned between before and after
// the logical times of their returns, in operation order, and records the
// clock, now, at each (stampClock).
func (m *Model) stampReturns(before, after *sim.History, now sim.Time) {
	at := historyEvents(before) + sim.Time(len(after.Ops))
	if before != nil {
		at -= sim.Time(len(before.Ops))
	}
	for i := range after.Ops {
		if after.Ops[i].Done && (before == nil || i >= len(before.Ops) || !before.Ops[i].Done) {
			after.Ops[i].Return = at
			at++
		}
	}
	m.stampClock(after, now)
}

// stampClock records, under timed exploration, that the clock read now at
// the logical times h's events got since it was last called
// (sim.History.Clock). It is for reports and stays out of the state's
// fingerprint, as History.Targets does: the clock at past events changes
// neither what agents do next nor the verdicts.
func (m *Model) stampClock(h *sim.History, now sim.Time) {
	if !m.timed() {
		return
	}
	for n := int(historyEvents(h)); len(h.Clock) < n; {
		h.Clock = append(h.Clock, now)
	}
}

// historyChanged reports whether a handler invoked or completed an
// operation: a handler only appends operations and marks them done.
func historyChanged(before, after *sim.History) bool {
	if before == nil {
		return len(after.Ops) > 0
	}
	if len(before.Ops) != len(after.Ops) {
		return true
	}
	for i := range before.Ops {
		if before.Ops[i].Done != after.Ops[i].Done {
			return true
		}
	}
	return false
}

func (s *State) historyCopy() sim.History {
	if s.history == nil {
		return sim.History{}
	}
	return s.history.Clone()
}

// normalize runs the protocol's normaliser on a, returning what it panicked
// with, if anything: like a handler's panic, a finding about one state.
func normalize(fn func(sim.Agent), a sim.Agent) (panicked string) {
	defer func() {
		if r := recover(); r != nil {
			panicked = fmt.Sprint(r)
		}
	}()
	fn(a)
	return ""
}

// run runs one handler on copies of the agent and its store and applies its
// effects to s: sends join the in-flight list, timers are armed and disarmed
// by name (any armed timer may fire next; under timed exploration a timer
// records when it was armed and for how long, and the handler reads the
// state's clock, which only a timer's firing advances). A handler's panic is recorded in s. tr, when not nil, sees every send.
func (m *Model) run(sb *sandbox, s *State, c sim.Call, tr *tracer) {
	n := s.nodes[c.Node]
	var agent sim.Agent
	if c.Kind != sim.CallStart {
		agent = sim.CloneAgent(n.agent)
	}
	storage := n.storage.Clone()
	history := s.historyCopy()
	sb.before = sb.before[:0]
	for _, t := range sb.trans {
		var v any
		if c.Kind != sim.CallStart && n.agent != nil {
			v = t.Observe(n.agent)
		}
		sb.before = append(sb.before, v)
	}
	c.Now = s.now
	out := sb.sb.Run(c, agent, storage, &history)
	if out.Panic != "" && s.panic == "" {
		s.panic = m.names[c.Node] + ": " + out.Panic
	}
	if out.Panic == "" && out.Agent != nil && s.broken == "" {
		s.broken = judgeStep(sb, c.Node, out.Agent)
	}
	if out.Agent != nil && out.Panic == "" && m.cfg.Normalize != nil {
		if why := normalize(m.cfg.Normalize, out.Agent); why != "" && s.panic == "" {
			s.panic = m.names[c.Node] + ": normalize: " + why
		}
	}
	if historyChanged(s.history, &history) {
		if m.cfg.OrderedHistory {
			m.stampReturns(s.history, &history, s.now)
		}
		s.history = &history
	}
	timers := n.timers
	if c.Kind == sim.CallStart {
		timers = nil
	}
	cloned := false
	for _, e := range out.Effects {
		switch e.Kind {
		case sim.EffectSend:
			env := m.internEnvelope(newEnvelope(c.Node, e.To, e.Msg))
			s.net = m.insert(s.net, env)
			tr.sent(env)
		case sim.EffectSetTimer, sim.EffectCancelTimer:
			if !cloned {
				timers, cloned = slices.Clone(timers), true
			}
			i, armed := slices.BinarySearchFunc(timers, e.Timer, func(t timer, name string) int { return strings.Compare(t.name, name) })
			t := timer{name: e.Timer}
			if m.timed() {
				t.at, t.after = s.now, e.After
			}
			switch {
			case e.Kind == sim.EffectSetTimer && !armed:
				timers = slices.Insert(timers, i, t)
			case e.Kind == sim.EffectSetTimer:
				timers[i] = t // re-armed: a new deadline
			case e.Kind == sim.EffectCancelTimer && armed:
				timers = slices.Delete(timers, i, i+1)
			}
		}
	}
	s.nodes[c.Node] = m.internNode(newNode(out.Agent, storage, timers, m.timed()))
}
