package actors

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/orrery-sim/orrery/internal/version"
	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/scheduler"
	"github.com/orrery-sim/orrery/traces"
)

// TraceConfig is the header config of a counterexample trace: enough to
// rebuild the model, whose choices (one Order choice per step) the events
// carry. Its "explore" field tells it from a simulation's config.
type TraceConfig struct {
	Protocol string            `json:"protocol"`
	Nodes    int               `json:"nodes"`
	Bug      string            `json:"bug,omitempty"`
	Params   map[string]string `json:"params,omitempty"`
	Explore  ExploreConfig     `json:"explore"`
}

// ExploreConfig is what the exploration adds to a protocol's options.
type ExploreConfig struct {
	Network    string `json:"network"`
	CrashesMax int    `json:"crashes_max"`
	// Cycle marks the path as a liveness counterexample (Model.TraceLasso).
	Cycle *Cycle `json:"cycle,omitempty"`
}

// Cycle says which Eventually property a lasso violates and at which step
// (from 1) its cycle starts.
type Cycle struct {
	Property string `json:"property"`
	LoopAt   int    `json:"loop_at"`
}

// Run re-executes the path of choices on m as the trace it came from
// recorded it: a lasso when the config marks one (Cycle).
func (c TraceConfig) Run(m *Model, choices []int) (*Run, error) {
	if cy := c.Explore.Cycle; cy != nil {
		return m.TraceLasso(choices, cy.Property, cy.LoopAt)
	}
	return m.Trace(choices)
}

// Model rebuilds the explored model of a registered protocol.
func (c TraceConfig) Model() (*Model, error) {
	p, err := protocols.Lookup(c.Protocol)
	if err != nil {
		return nil, err
	}
	network, err := ParseNetwork(c.Explore.Network)
	if err != nil {
		return nil, err
	}
	cfg, err := FromProtocol(p, protocols.Options{Nodes: c.Nodes, Bug: c.Bug, Params: c.Params}, network, c.Explore.CrashesMax)
	if err != nil {
		return nil, err
	}
	return New(cfg)
}

// IsTrace reports whether a trace file holds an explored path.
func IsTrace(t *traces.Trace) bool {
	var probe struct {
		Explore *json.RawMessage `json:"explore"`
	}
	return json.Unmarshal(t.Header.Config, &probe) == nil && probe.Explore != nil
}

// FromTrace reads the config and the choices of an explored path.
func FromTrace(t *traces.Trace) (TraceConfig, []int, error) {
	var c TraceConfig
	if err := json.Unmarshal(t.Header.Config, &c); err != nil {
		return c, nil, fmt.Errorf("header config: %v", err)
	}
	var choices []int
	for _, e := range t.Events {
		for _, text := range e.Choices {
			ch, err := traces.DecodeChoice(text)
			if err != nil {
				return c, nil, fmt.Errorf("event %d: %v", e.Seq, err)
			}
			if ch.Purpose == scheduler.Order {
				choices = append(choices, int(ch.Value))
			}
		}
	}
	if len(choices) == 0 {
		return c, nil, errors.New("no order choices: not an explored path")
	}
	return c, choices, nil
}

// WriteTrace writes run as a trace file of config c, with options as the
// header's derived options.
func WriteTrace(w io.Writer, c TraceConfig, options []traces.Option, run *Run) error {
	raw, err := json.Marshal(c)
	if err != nil {
		return err
	}
	tw := traces.NewWriter(w, &traces.Header{Format: traces.FormatVersion, Protocol: c.Protocol, Config: raw, Options: options, Version: version.String()})
	for i := range run.Events {
		tw.Event(&run.Events[i])
	}
	return tw.Close(run.Footer())
}
