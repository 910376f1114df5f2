package primarybackup

import (
	"fmt"

	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/sim"
)

// BugEarlyAck is the planted bug: the primary acknowledges a write once it has
// sent it to the backups, not once they have applied it.
const BugEarlyAck = "early-ack"

// DefaultWorkload is the script clients run when Params["workload"] is unset.
const DefaultWorkload = "put x 1; get x @n2; put x 2; get x @n3; put y 3; get y @n2; get x"

// Protocol is primary-backup as an Orrery protocol. It is not registered:
// tests hand it to simtest directly. (A program that wants `simrun -protocol
// primarybackup` would call protocols.Register(Protocol) in an init function.)
var Protocol = &protocols.Protocol{
	Name:     "primarybackup",
	Summary:  "primary-backup replication of a KV store; reads from any replica",
	Nodes:    3,
	MinNodes: 1,
	MaxNodes: 9,
	Clients:  1,
	Bugs:     []protocols.Bug{{Name: BugEarlyAck, Summary: "the primary acknowledges a write before the backups applied it"}},
	Params: []protocols.Param{{Name: "workload", Kind: protocols.ParamText, Default: DefaultWorkload,
		Summary: "the clients' operations, ';'-separated (see ParseWorkload)"}},
	Safety:   3 * sim.Second,
	Liveness: 5 * sim.Second,
	Setup:    setup,
}

// setup adds n1 (the primary), the backups n2..nN and the clients c1..cK, then
// the properties. Servers are ids 0..N-1, so every id is known before any agent
// is built.
func setup(w *sim.World, o protocols.Options) (*protocols.Instance, error) {
	text, ok := o.Params["workload"]
	if !ok {
		text = DefaultWorkload
	}
	script, err := ParseWorkload(text)
	if err != nil {
		return nil, err
	}
	servers := make([]sim.NodeID, o.Nodes)
	replicas := map[string]sim.NodeID{}
	for i := range servers {
		servers[i] = sim.NodeID(i)
		replicas[fmt.Sprintf("n%d", i+1)] = servers[i]
	}
	primary, backups := servers[0], servers[1:]
	w.AddAgent(sim.AgentSpec{Name: "n1", New: func() sim.Agent { return &Primary{backups: backups, bug: o.Bug} }})
	for i := range backups {
		w.AddAgent(sim.AgentSpec{Name: fmt.Sprintf("n%d", i+2), New: func() sim.Agent { return &Backup{primary: primary} }})
	}
	for i := 0; i < o.Clients; i++ {
		w.AddAgent(sim.AgentSpec{Name: fmt.Sprintf("c%d", i+1), New: func() sim.Agent {
			return &Client{primary: primary, replicas: replicas, script: script}
		}})
	}
	c := &checker{}
	w.AddProperty(sim.Property{Name: "read-acknowledged-writes", Kind: sim.Always, Check: c.reads})
	w.AddProperty(sim.Property{Name: "backups-caught-up", Kind: sim.Eventually, Check: caughtUp(primary, backups)})
	// Crashing a server never breaks safety, only progress, which the liveness
	// phase restores: any server may be down.
	return &protocols.Instance{Servers: servers, Tolerates: len(servers)}, nil
}

// caughtUp: after the faults heal, every backup has applied the primary's log.
func caughtUp(primary sim.NodeID, backups []sim.NodeID) func(w *sim.World) error {
	return func(w *sim.World) error {
		p, _ := w.Agent(primary).(*Primary)
		if p == nil {
			return fmt.Errorf("the primary is down")
		}
		for _, id := range backups {
			b, _ := w.Agent(id).(*Backup)
			if b == nil || len(b.log) < len(p.log) {
				return fmt.Errorf("%s has not applied all %d entries", w.Name(id), len(p.log))
			}
		}
		return nil
	}
}
