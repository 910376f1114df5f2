package viz

import (
	"sort"
	"strings"

	"github.com/orrery-sim/orrery/traces"
)

// Happens-before over a trace (Lamport): an event follows the previous event
// of its node (program order) and a delivery follows the handler that sent
// the message. Drops end a chain: nothing on the receiver follows from a
// message it never saw (a drop is on no lane). Crashes and restarts are on their box's lane (a box
// of its own is named after its agent). A fail event follows the step that
// broke the property, the last event before it on a lane. An operation
// requested from outside the world has no client lane: the delivery of its
// request follows its invocation, and its return follows the step that
// returned it (the last event before it on a lane).

// actor is the lane whose program order e is part of, "" for none.
func actor(e *traces.Event) string {
	switch e.Kind {
	case traces.KindStart, traces.KindRecv, traces.KindTimer, traces.KindInvoke, traces.KindReturn, traces.KindNote:
		return e.Node
	case traces.KindCrash, traces.KindRestart, traces.KindPause, traces.KindResume:
		return e.Type
	}
	return ""
}

// causality fills m.Preds, m.Cause and m.Past.
func (m *Model) causality() {
	m.Preds = make([][]int, len(m.Events))
	last := map[string]int{}
	for _, a := range m.Arrows {
		if a.From >= 0 {
			m.Preds[a.To] = append(m.Preds[a.To], a.From)
		}
	}
	m.Cause = -1
	m.host = map[int]string{}
	lastOnLane := -1
	var requested []int // external invocations whose request has not arrived yet
	for i := range m.Events {
		e := &m.Events[i]
		switch {
		case e.Kind == traces.KindFail:
			if lastOnLane >= 0 {
				m.Preds[i] = append(m.Preds[i], lastOnLane)
				if i == m.Fail {
					m.Cause = lastOnLane
				}
			}
			continue
		case e.Kind == traces.KindInvoke && e.Node == "":
			requested = append(requested, i)
			continue
		case e.Kind == traces.KindReturn && e.Node == "":
			if lastOnLane >= 0 {
				m.Preds[i] = append(m.Preds[i], lastOnLane)
				m.host[i] = actor(&m.Events[lastOnLane])
			}
			continue
		}
		n := actor(e)
		if n == "" {
			continue
		}
		if k, ok := last[n]; ok {
			m.Preds[i] = append([]int{k}, m.Preds[i]...)
		}
		if e.Kind == traces.KindRecv && e.Peer == "" {
			requested = m.requestArrived(i, requested)
		}
		last[n] = i
		if e.Kind != traces.KindNote {
			lastOnLane = i
		}
	}
	if m.Cause >= 0 {
		m.Past = m.storyOf(m.Cause)
	}
}

// requestArrived links delivery i, a request from outside the world, to the
// oldest invocation in requested whose payload it carries ("Request#3 get a"
// for the invocation "get a"), and returns requested without it.
func (m *Model) requestArrived(i int, requested []int) []int {
	e := &m.Events[i]
	for k, inv := range requested {
		if strings.HasSuffix(e.Text, " "+m.Events[inv].Text) {
			m.Preds[i] = append(m.Preds[i], inv)
			m.host[inv] = e.Node
			return append(requested[:k:k], requested[k+1:]...)
		}
	}
	return requested
}

// CausalPast is every event that happened before event i (not i itself),
// in trace order.
func (m *Model) CausalPast(i int) []int {
	seen := map[int]bool{}
	stack := []int{i}
	for len(stack) > 0 {
		k := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, p := range m.Preds[k] {
			if !seen[p] {
				seen[p] = true
				stack = append(stack, p)
			}
		}
	}
	out := make([]int, 0, len(seen))
	for k := range seen { // lint:ordered sorted below
		out = append(out, k)
	}
	sort.Ints(out)
	return out
}

// storyEventsMax caps the events listed as leading to a violation.
const storyEventsMax = 16

// storyOf is what led to event i, most recent first, at most storyEventsMax
// events of its causal past chosen by rank: i itself and its immediate
// predecessors (the handler that sent its message, its node's previous
// event); then crashes, restarts and changes of a node's role or era (a new
// leader, a new term); then other changes of a node's state and client
// operations; then the rest, latest first. Drops and notes cause nothing and
// are left out.
func (m *Model) storyOf(i int) []int {
	past := m.CausalPast(i)
	rank := map[int]int{i: 0}
	for _, p := range m.Preds[i] {
		rank[p] = 0
	}
	turns := m.turns()
	for _, k := range past {
		if _, ok := rank[k]; ok {
			continue
		}
		switch e := &m.Events[k]; {
		case e.Kind == traces.KindCrash || e.Kind == traces.KindRestart || turns[k]:
			rank[k] = 1
		case e.Summary != "" || e.Kind == traces.KindInvoke || e.Kind == traces.KindReturn:
			rank[k] = 2
		case e.Kind != traces.KindDrop && e.Kind != traces.KindNote:
			rank[k] = 3
		}
	}
	story := make([]int, 0, len(rank))
	for k := range rank { // lint:ordered sorted below
		story = append(story, k)
	}
	sort.Slice(story, func(a, b int) bool {
		if rank[story[a]] != rank[story[b]] {
			return rank[story[a]] < rank[story[b]]
		}
		return story[a] > story[b]
	})
	story = story[:min(len(story), storyEventsMax)]
	sort.Sort(sort.Reverse(sort.IntSlice(story)))
	return story
}

// turns are the events where a node with an era (a server: term, ballot,
// epoch) changed role or era, or a node became leader; a client going from
// idle to waiting is no turn of the story.
func (m *Model) turns() map[int]bool {
	turns := map[int]bool{}
	role := map[string]string{}
	for _, s := range m.States {
		if prev, ok := role[s.Node]; (ok && prev != s.Role && s.Era != "") || s.Leads || s.NewEra {
			turns[s.From] = true
		}
		role[s.Node] = s.Role
	}
	return turns
}
