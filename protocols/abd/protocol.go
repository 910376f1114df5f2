package abd

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	lin "github.com/orrery-sim/orrery/checkers/linearizability"
	"github.com/orrery-sim/orrery/faults"
	"github.com/orrery-sim/orrery/internal/assert"
	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/protocols/quorum"
	"github.com/orrery-sim/orrery/sim"
	"github.com/orrery-sim/orrery/workload/kv"
)

// Planted bugs.
const (
	BugSkipWriteBack       = "skip-write-back"       // a read returns after its query phase
	BugMinorityQuorum      = "minority-quorum"       // the quorum function accepts a minority
	BugServeBeforeTransfer = "serve-before-transfer" // a new configuration serves before its state arrives
	BugTransferFromOne     = "transfer-from-one"     // the state transfer reads one old replica
	BugStaleEpochAccepted  = "stale-epoch-accepted"  // a client counts a redirect as an answer
)

// Property names, as reported in verdicts.
const (
	PropLinearizable = "linearizability"
	PropTagsForward  = "tags-never-go-back"
	PropTagUnique    = "one-value-per-tag"
	PropOpAfterHeal  = "op-after-heal"
	PropReadSawWrite = "read-saw-write"
	PropEpochForward = "epochs-never-go-back"
	PropTransferred  = "serves-transferred-state"
)

// Spares: replicas outside the first configuration, so that nodes can join
// (-param spares=N).
const (
	sparesDefault = 2
	sparesMax     = 8
)

func init() {
	protocols.Register(&protocols.Protocol{
		Name:     "abd",
		Skips:    true,
		Summary:  "multi-writer ABD atomic register on quorum calls",
		Nodes:    3,
		MinNodes: 1,
		MaxNodes: 15,
		Clients:  4,
		Bugs: []protocols.Bug{
			{Name: BugSkipWriteBack, Summary: "a read returns what its query phase found without writing it back (new-old inversion)"},
			{Name: BugMinorityQuorum, Summary: "the quorum function accepts replies from a minority of the replicas"},
			{Name: BugServeBeforeTransfer, Summary: "a replica serves a new configuration before the state transfer reached it (a joining node serving before its bootstrap finished)"},
			{Name: BugTransferFromOne, Summary: "the reconfiguration reads the old configuration's state from one replica, not a majority (CASSANDRA-2434 class)"},
			{Name: BugStaleEpochAccepted, Summary: "a client counts a redirect from a replica in a newer configuration as an answer (no epoch fencing, KIP-320 class)"},
		},
		Params: []protocols.Param{{Name: "spares", Kind: protocols.ParamInt, Default: strconv.Itoa(sparesDefault), Min: 0, Max: sparesMax,
			Summary: "replicas outside the first configuration, which the admin may add (reconfigure faults)"},
			{Name: ParamCallTimeoutMs, Kind: protocols.ParamInt, Default: strconv.Itoa(int(callTimeout / sim.Millisecond)), Min: 1, Max: int(callTimeoutMax / sim.Millisecond),
				Summary: "a client's wait in a quorum phase before it resends to silent replicas; an operation gives up after 15 resends"}},
		Safety:   5 * sim.Second,
		Liveness: 5 * sim.Second,
		Setup:    func(w *sim.World, o protocols.Options) (*protocols.Instance, error) { return Setup(w, o, false) },
		Explore:  exploreSpec,
	})
}

// Setup adds replicas n1..nN, the first configuration (epoch 1), then spares
// after them (-param spares=S, default 2: n(N+1)..n(N+S)), each on its own box
// (ids 0..N+S-1); then clients c1..cK and the admin, which the nemesis leaves
// alone. The nemesis may reconfigure: the admin carries each change out.
// Scripted clients run no workload: they wait for requests ("read", "write V"),
// as scenario scripts send.
func Setup(w *sim.World, o protocols.Options, scripted bool) (*protocols.Instance, error) {
	if o.Nodes < 1 {
		return nil, fmt.Errorf("abd needs at least one replica, got %d", o.Nodes)
	}
	spares, err := sparesParam(o.Params)
	if err != nil {
		return nil, err
	}
	timeout, err := protocols.MillisParam(o.Params, ParamCallTimeoutMs, callTimeout)
	if err != nil {
		return nil, err
	}
	servers := make([]sim.NodeID, o.Nodes+spares)
	initial := quorum.Configuration{Epoch: 1}
	for i := range servers {
		initial.Nodes = append(initial.Nodes, sim.NodeID(i))
	}
	initial.Nodes = initial.Nodes[:o.Nodes]
	for i := range servers {
		servers[i] = w.AddAgent(sim.AgentSpec{Name: fmt.Sprintf("n%d", i+1), New: func() sim.Agent { return newReplica(initial, o.Bug) }})
		assert.That(servers[i] == sim.NodeID(i), "abd: replica n%d has id %d", i+1, servers[i])
	}
	for i := 0; i < o.Clients; i++ {
		w.AddAgent(sim.AgentSpec{Name: fmt.Sprintf("c%d", i+1), New: func() sim.Agent {
			c := newClient(initial, o.Bug, scripted)
			c.opsMax, c.skip = o.Ops, o.Skip // the shrinker cuts the workload
			c.timeout = timeout
			return c
		}})
	}
	admin := w.AddAgent(sim.AgentSpec{Name: "admin", New: func() sim.Agent { return newAdmin(initial, servers, o.Bug) }})
	reconfigure := func(w *sim.World, c faults.Change) error {
		w.Request(w.Now(), admin, Reconfiguration{Change: c})
		return nil
	}
	replicas := servers
	t := &tracker{replicas: replicas, last: make([]Tag, len(replicas)), epochs: make([]uint64, len(replicas)), values: map[Tag]string{}}
	w.AddProperty(sim.Property{Name: PropTagsForward, Kind: sim.Always, Check: t.tagsForward})
	w.AddProperty(sim.Property{Name: PropEpochForward, Kind: sim.Always, Check: t.epochsForward})
	w.AddProperty(sim.Property{Name: PropTagUnique, Kind: sim.Always, Check: t.tagUnique})
	transfer := newTransferTracker(admin)
	w.AddProperty(sim.Property{Name: PropTransferred, Kind: sim.Always, Check: func(w *sim.World) error { return transfer.check(w, t) }})
	w.AddProperty(sim.Property{Name: PropReadSawWrite, Kind: sim.Sometimes, Check: t.readSawWrite})
	w.OnLiveness(func(w *sim.World) { t.liveFrom = len(w.History().Ops) })
	w.AddProperty(sim.Property{Name: PropOpAfterHeal, Kind: sim.Eventually, Check: t.opAfterHeal})
	kv.AddHistoryChecks(w, registerAccess)
	w.AddProperty(sim.Property{Name: PropLinearizable, Kind: sim.AtEnd, Check: CheckLinearizable})
	minority := (o.Nodes - 1) / 2
	return &protocols.Instance{Servers: servers, Tolerates: minority, DownForGoodMax: minority, Describe: describe,
		Reconfigure: reconfigure, Spares: servers[o.Nodes:]}, nil
}

// ParamCallTimeoutMs sets a client's wait in a quorum phase before it resends
// to silent replicas. It is not marked for the shrinker: a shorter wait only
// adds resends, and abd's planted bugs shrank to longer stories with it.
const ParamCallTimeoutMs = "call-timeout-ms"

// sparesParam reads -param spares=N, and refuses parameters abd does not know.
func sparesParam(params map[string]string) (int, error) {
	spares := sparesDefault
	keys := make([]string, 0, len(params))
	for k := range params { // lint:ordered sorted below
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if k == ParamCallTimeoutMs {
			continue
		}
		if k != "spares" {
			return 0, fmt.Errorf("abd has no parameter %q (known: spares, %s)", k, ParamCallTimeoutMs)
		}
		v := params[k]
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > sparesMax {
			return 0, fmt.Errorf("abd: spares=%q (want 0 to %d)", v, sparesMax)
		}
		spares = n
	}
	return spares, nil
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
	epochs   []uint64       // each replica's configuration epoch after its last handler
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

// epochsForward: a replica never goes back to an older configuration, not
// even across a crash: its move is durable before it answers the admin.
func (t *tracker) epochsForward(w *sim.World) error {
	i, r := t.current(w)
	if r == nil {
		return nil
	}
	if r.Epoch() < t.epochs[i] {
		return fmt.Errorf("%s: configuration went back from epoch %d to %d", w.Name(sim.NodeID(i)), t.epochs[i], r.Epoch())
	}
	t.epochs[i] = r.Epoch()
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
	ids := make([]sim.OpID, 0, len(ops))
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
		history, ids = append(history, h), append(ids, op.ID)
	}
	r := lin.Check(context.Background(), lin.RegisterModel(), history, lin.Options{Workers: 1})
	if r.Verdict == lin.Ok {
		return nil
	}
	if w.History().Logical { // under exploration: name the requests' agents, order the times
		return kv.LinearizabilityFailure(w, r, ids)
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
