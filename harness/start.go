package harness

import (
	"fmt"
	"slices"
	"strings"

	"github.com/orrery-sim/orrery/faults"
	"github.com/orrery-sim/orrery/internal/quote"
	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/sim"
)

// Start says when one agent that is not a server (a workload client) starts:
// text "c1=200ms".
type Start struct {
	Agent string
	At    sim.Time
}

// Starts are late starts (Config.StartAt), sorted by agent name; text
// "c1=200ms,c2=150ms".
type Starts []Start

func (s Starts) String() string {
	parts := make([]string, len(s))
	for i, st := range s {
		parts[i] = st.Agent + "=" + faults.FormatDuration(st.At)
	}
	return strings.Join(parts, ",")
}

// Of is when agent starts (0: with the others).
func (s Starts) Of(agent string) sim.Time {
	if i, ok := slices.BinarySearchFunc(s, agent, func(st Start, a string) int { return strings.Compare(st.Agent, a) }); ok {
		return s[i].At
	}
	return 0
}

// With returns the starts with agent's set to at (0 removes it).
func (s Starts) With(agent string, at sim.Time) Starts {
	out := make(Starts, 0, len(s)+1)
	for _, st := range s {
		if st.Agent != agent {
			out = append(out, st)
		}
	}
	if at > 0 {
		out = append(out, Start{Agent: agent, At: at})
	}
	slices.SortFunc(out, func(a, b Start) int { return strings.Compare(a.Agent, b.Agent) })
	return out
}

// startsMax bounds a Starts list, as protocols.OpsMax bounds a skip list.
const startsMax = protocols.OpsMax

// ParseStarts parses the text form of Starts ("" is none). The agents may
// come in any order; naming one twice is an error, and so is a start at 0
// (say nothing instead).
func ParseStarts(text string) (Starts, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return nil, nil
	}
	fields := strings.Split(text, ",")
	if len(fields) > startsMax {
		return nil, fmt.Errorf("more than %d agents", startsMax)
	}
	var s Starts
	for i, f := range fields {
		f = strings.TrimSpace(f)
		agent, at, ok := strings.Cut(f, "=")
		agent = strings.TrimSpace(agent)
		if !ok || agent == "" {
			return nil, fmt.Errorf("item %d: want AGENT=TIME (c1=200ms), got %s", i+1, quote.Q(f))
		}
		t, err := sim.ParseDuration(strings.TrimSpace(at))
		if err != nil {
			return nil, fmt.Errorf("item %d (%s): %v", i+1, quote.Q(agent), err)
		}
		if t == 0 {
			return nil, fmt.Errorf("item %d: %s starts at 0, as every agent does (leave it out)", i+1, quote.Q(agent))
		}
		if s.Of(agent) != 0 {
			return nil, fmt.Errorf("item %d: %s named twice", i+1, quote.Q(agent))
		}
		s = s.With(agent, t)
	}
	return s, nil
}

// startLate applies cfg.StartAt to w, set up by a protocol as inst: each
// agent named must exist and not be a server (nor a spare one), and must
// start within the safety phase.
func startLate(w *sim.World, cfg Config, inst *protocols.Instance) error {
	starts, err := ParseStarts(cfg.StartAt)
	if err != nil {
		return fmt.Errorf("start-at: %v", err)
	}
	for _, st := range starts {
		id, ok := w.Lookup(st.Agent)
		if !ok {
			return fmt.Errorf("start-at: no agent %s in this run", quote.Q(st.Agent))
		}
		if inst.IsServer(id) {
			return fmt.Errorf("start-at: %s is a server; only other agents (clients) start late", quote.Q(st.Agent))
		}
		if st.At >= cfg.Safety {
			return fmt.Errorf("start-at: %s starts at %v, not within the safety phase (%v)", quote.Q(st.Agent), st.At, cfg.Safety)
		}
		w.StartLate(id, st.At)
	}
	return nil
}

// checkSkip checks cfg.Skip against w, set up by a protocol as inst: every
// client it names must be an agent of this run and not a server (nor a spare
// one), since an operation of nobody is a typing error, not a reduction.
func checkSkip(w *sim.World, cfg Config, inst *protocols.Instance) error {
	skip, err := protocols.ParseOpSet(cfg.Skip)
	if err != nil {
		return fmt.Errorf("skip: %v", err)
	}
	for _, r := range skip {
		id, ok := w.Lookup(r.Client)
		if !ok {
			return fmt.Errorf("skip: no client %s in this run", quote.Q(r.Client))
		}
		if inst.IsServer(id) {
			return fmt.Errorf("skip: %s is a server; only clients' operations are left out", quote.Q(r.Client))
		}
	}
	return nil
}
