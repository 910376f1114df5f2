package abd

import (
	"encoding/json"
	"fmt"
	"slices"

	"github.com/orrery-sim/orrery/internal/assert"
	"github.com/orrery-sim/orrery/protocols/quorum"
	"github.com/orrery-sim/orrery/sim"
)

// storageKey holds a replica's durable state (disk).
const storageKey = "register"

// disk is what a replica keeps in durable storage: the register and the
// configuration it is in. Both are synced before any reply that depends on them.
type disk struct {
	State  State
	Config quorum.Configuration
	Active bool
}

// Replica stores the register. It serves the reads and writes of one
// configuration, the newest it knows, and only once it holds the state of the
// configuration before it (Active): a replica of the first configuration from
// the start, any other once the admin's transfer reached it. It answers a call
// of an older configuration with a redirect to its own, and leaves a call of a
// configuration it is not serving yet unanswered (the client resends).
type Replica struct {
	initial quorum.Configuration // the first configuration, for a replica with nothing stored
	bug     string
	state   State
	config  quorum.Configuration
	active  bool
}

func newReplica(initial quorum.Configuration, bug string) *Replica {
	return &Replica{initial: initial, bug: bug}
}

// Start recovers the state and configuration that were synced before a crash.
func (r *Replica) Start(ctx *sim.Context) {
	d := disk{Config: r.initial, Active: slices.Contains(r.initial.Nodes, ctx.Self())}
	if raw, ok := ctx.Storage().Get(storageKey); ok {
		assert.That(json.Unmarshal(raw, &d) == nil, "abd replica: corrupt state %q", raw)
	}
	r.state, r.config, r.active = d.State, d.Config, d.Active
}

// Receive answers the clients' two phases and the admin's two phases.
func (r *Replica) Receive(ctx *sim.Context, from sim.NodeID, msg sim.Message) {
	req, ok := msg.(quorum.Request)
	if !ok {
		panic(fmt.Sprintf("abd replica: unexpected %T", msg))
	}
	switch arg := req.Arg.(type) {
	case MsgQuery, MsgStore:
		r.serve(ctx, from, req)
	case MsgSeal:
		if r.config.Epoch < arg.Next.Epoch {
			// No call of the old configuration is served from now on, nor of
			// the new one until the transfer brings its state.
			r.config, r.active = arg.Next, false
			if r.bug == BugServeBeforeTransfer {
				r.active = slices.Contains(arg.Next.Nodes, ctx.Self()) // "it has the data already"
			}
			r.persist(ctx)
		}
		ctx.Send(from, req.Reply(r.state))
	case MsgTransfer:
		r.adopt(arg.State)
		if r.config.Epoch < arg.Next.Epoch {
			r.config = arg.Next
		}
		r.active = r.active || r.config.Epoch == arg.Next.Epoch
		r.persist(ctx)
		ctx.Send(from, req.Reply(r.state))
	default:
		panic(fmt.Sprintf("abd replica: unexpected request %T", req.Arg))
	}
}

// serve answers a client's query or store in the replica's configuration.
func (r *Replica) serve(ctx *sim.Context, from sim.NodeID, req quorum.Request) {
	switch {
	case req.Stale(r.config.Epoch):
		ctx.Send(from, req.RedirectTo(r.config))
		return
	case (req.ConfigEpoch > r.config.Epoch || !r.active) && r.bug != BugServeBeforeTransfer:
		// The call's configuration is newer than the last state this replica
		// holds: answering would let a quorum of the new configuration miss
		// writes that completed in the old one.
		ctx.Logf("not serving e%d yet: %s", req.ConfigEpoch, r.Describe())
		return
	}
	if store, ok := req.Arg.(MsgStore); ok && r.state.Tag.Less(store.State.Tag) {
		r.adopt(store.State)
		r.persist(ctx)
	}
	ctx.Send(from, req.Reply(r.state))
}

func (r *Replica) adopt(s State) {
	if r.state.Tag.Less(s.Tag) {
		r.state = s
	}
}

// persist syncs the replica's state: durable before the reply leaves.
func (r *Replica) persist(ctx *sim.Context) {
	raw, _ := json.Marshal(disk{State: r.state, Config: r.config, Active: r.active})
	ctx.Storage().Put(storageKey, raw)
	ctx.Sync()
}

// Timer implements sim.Agent; replicas arm none.
func (r *Replica) Timer(_ *sim.Context, name string) { assert.Fail("abd replica: timer %q", name) }

// State is the replica's current state.
func (r *Replica) State() State { return r.state }

// Epoch is the epoch of the newest configuration the replica knows.
func (r *Replica) Epoch() uint64 { return r.config.Epoch }

// Describe renders the replica's state, and its configuration unless it
// serves the first one.
func (r *Replica) Describe() string {
	s := r.state.Describe()
	switch {
	case r.config.Epoch == r.initial.Epoch && r.active:
		return s
	case r.active:
		return s + " serving " + describeConfig(r.config)
	}
	return s + " not serving; knows " + describeConfig(r.config)
}
