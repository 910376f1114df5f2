package abd

import (
	"context"
	"errors"
	"fmt"
	"strings"

	lin "github.com/orrery-sim/orrery/checkers/linearizability"
	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/sim"
	"github.com/orrery-sim/orrery/workload/kv"
)

// Planted bugs.
const (
	BugSkipWriteBack  = "skip-write-back" // a read returns after its query phase
	BugMinorityQuorum = "minority-quorum" // the quorum function accepts a minority
)

// Property names, as reported in verdicts.
const (
	PropLinearizable = "linearizability"
	PropTagsForward  = "tags-never-go-back"
	PropTagUnique    = "one-value-per-tag"
	PropOpAfterHeal  = "op-after-heal"
	PropReadSawWrite = "read-saw-write"
)

func init() {
	protocols.Register(&protocols.Protocol{
		Name:     "abd",
		Summary:  "multi-writer ABD atomic register on quorum calls",
		Nodes:    3,
		MinNodes: 1,
		MaxNodes: 15,
		Clients:  4,
		Bugs: []protocols.Bug{
			{Name: BugSkipWriteBack, Summary: "a read returns what its query phase found without writing it back (new-old inversion)"},
			{Name: BugMinorityQuorum, Summary: "the quorum function accepts replies from a minority of the replicas"},
		},
		Safety:   5 * sim.Second,
		Liveness: 5 * sim.Second,
		Setup:    func(w *sim.World, o protocols.Options) (*protocols.Instance, error) { return Setup(w, o, false) },
	})
}

// Setup adds replicas n1..nN (ids 0..N-1), each on its own box, then clients
// c1..cK, which the nemesis leaves alone. Scripted clients run no workload:
// they wait for requests ("read", "write V"), as scenario scripts send.
func Setup(w *sim.World, o protocols.Options, scripted bool) (*protocols.Instance, error) {
	if o.Nodes < 1 {
		return nil, fmt.Errorf("abd needs at least one replica, got %d", o.Nodes)
	}
	replicas := make([]sim.NodeID, o.Nodes)
	for i := range replicas {
		replicas[i] = w.AddAgent(sim.AgentSpec{Name: fmt.Sprintf("n%d", i+1), New: func() sim.Agent { return &Replica{} }})
	}
	for i := 0; i < o.Clients; i++ {
		w.AddAgent(sim.AgentSpec{Name: fmt.Sprintf("c%d", i+1), New: func() sim.Agent { return newClient(replicas, o.Bug, scripted) }})
	}
	t := &tracker{replicas: replicas, last: make([]Tag, len(replicas)), values: map[Tag]string{}}
	w.AddProperty(sim.Property{Name: PropTagsForward, Kind: sim.Always, Check: t.tagsForward})
	w.AddProperty(sim.Property{Name: PropTagUnique, Kind: sim.Always, Check: t.tagUnique})
	w.AddProperty(sim.Property{Name: PropReadSawWrite, Kind: sim.Sometimes, Check: t.readSawWrite})
	w.OnLiveness(func(w *sim.World) { t.liveFrom = len(w.History().Ops) })
	w.AddProperty(sim.Property{Name: PropOpAfterHeal, Kind: sim.Eventually, Check: t.opAfterHeal})
	kv.AddHistoryChecks(w, registerAccess)
	w.AddProperty(sim.Property{Name: PropLinearizable, Kind: sim.AtEnd, Check: CheckLinearizable})
	minority := (len(replicas) - 1) / 2
	return &protocols.Instance{Servers: replicas, Tolerates: minority, DownForGoodMax: minority, Describe: describe}, nil
}

func describe(w *sim.World, id sim.NodeID) string {
	if a := w.Agent(id); a != nil {
		return sim.Describe(a)
	}
	return "down"
}

// tracker holds what the always-properties learned so far.
type tracker struct {
	replicas []sim.NodeID
	last     []Tag          // each replica's tag after its last handler
	values   map[Tag]string // every tag any replica stored, and its value
	liveFrom int            // history operations before the liveness phase
	scanned  int            // history operations readSawWrite has ruled out
}

func (t *tracker) current(w *sim.World) (int, *Replica) {
	id := w.Current()
	if id < 0 || int(id) >= len(t.replicas) {
		return -1, nil
	}
	r, _ := w.Agent(id).(*Replica)
	return int(id), r
}

// tagsForward: a replica's tag never decreases, not even across a crash, since
// it is durable before any acknowledgement depends on it.
func (t *tracker) tagsForward(w *sim.World) error {
	i, r := t.current(w)
	if r == nil {
		return nil
	}
	if r.state.Tag.Less(t.last[i]) {
		return fmt.Errorf("%s: tag went back from %v to %v", w.Name(sim.NodeID(i)), t.last[i], r.state.Tag)
	}
	t.last[i] = r.state.Tag
	return nil
}

// tagUnique: no two replicas ever hold different values under the same tag.
func (t *tracker) tagUnique(w *sim.World) error {
	_, r := t.current(w)
	if r == nil || r.state.Tag == (Tag{}) {
		return nil
	}
	if v, ok := t.values[r.state.Tag]; ok && v != r.state.Value {
		return fmt.Errorf("tag %v names both %q and %q", r.state.Tag, v, r.state.Value)
	}
	t.values[r.state.Tag] = r.state.Value
	return nil
}

func (t *tracker) opAfterHeal(w *sim.World) error {
	for _, op := range w.History().Ops[t.liveFrom:] {
		if op.Done {
			return nil
		}
	}
	return errors.New("no operation invoked after the heal has completed")
}

// readSawWrite: some read returned a written value, so the run exercised reads
// and writes together. The scan resumes where it stopped; open operations hold it.
func (t *tracker) readSawWrite(w *sim.World) error {
	ops := w.History().Ops
	for i := t.scanned; i < len(ops) && ops[i].Done; i++ {
		if r, ok := ops[i].Output.(Result); ok && r.Exists {
			return nil
		}
		t.scanned = i + 1
	}
	return errors.New("no read has returned a written value")
}

// registerAccess reads a register operation for workload/kv's read-fresh
// (exactly-once has nothing to judge: writes are per-client sequence values,
// unique to the operation, and a register holds one of them). A read that
// returns the value of a write that a later completed write superseded
// before the read began fails at the read.
func registerAccess(op *sim.Op) (kv.Access, bool) {
	in, ok := op.Input.(Op)
	if !ok {
		return kv.Access{}, false
	}
	if in.Write {
		return kv.Access{Key: "register", Write: true, Wrote: in.Value, Text: in.Describe()}, true
	}
	out, ok := op.Output.(Result)
	if op.Done && !ok {
		return kv.Access{}, false
	}
	return kv.Access{Key: "register", Read: true, Value: out.Value, Found: out.Exists}, true
}

// CheckLinearizable checks the client history against the register model.
// Operations a client gave up on stay open. There is no timeout: a verdict that
// depended on the wall clock would break determinism.
func CheckLinearizable(w *sim.World) error {
	ops := w.History().Ops
	history := make([]lin.Operation[lin.RegisterInput, lin.RegisterOutput], 0, len(ops))
	for _, op := range ops {
		in, ok := opOf(op.Input)
		if !ok {
			continue
		}
		h := lin.Operation[lin.RegisterInput, lin.RegisterOutput]{ClientID: int(op.Client), Call: int64(op.Call), Open: !op.Done}
		h.Input = lin.RegisterInput{Op: lin.RegisterRead}
		if in.Write {
			h.Input = lin.RegisterInput{Op: lin.RegisterWrite, Value: in.Value}
		}
		if op.Done {
			r, _ := op.Output.(Result)
			h.Output, h.Return = lin.RegisterOutput{Value: r.Value, Exists: r.Exists}, int64(op.Return)
		}
		history = append(history, h)
	}
	r := lin.Check(context.Background(), lin.RegisterModel(), history, lin.Options{Workers: 1})
	if r.Verdict == lin.Ok {
		return nil
	}
	return fmt.Errorf("%d operations: %s", len(history), strings.TrimSpace(r.String()))
}

// opOf reads a history input: an Op from the workload, or the text of a
// scripted request ("read", "write V").
func opOf(input any) (Op, bool) {
	switch in := input.(type) {
	case Op:
		return in, true
	case string:
		if v, ok := strings.CutPrefix(in, "write "); ok {
			return Op{Write: true, Value: v}, true
		}
		return Op{}, in == "read"
	}
	return Op{}, false
}
