package abd

import (
	"encoding/json"
	"fmt"

	"github.com/orrery-sim/orrery/internal/assert"
	"github.com/orrery-sim/orrery/quorum"
	"github.com/orrery-sim/orrery/sim"
)

// storageKey holds a replica's state.
const storageKey = "register"

// Replica stores the register. It answers queries with its state and adopts a
// stored value when its tag is newer, durably, before acknowledging.
type Replica struct {
	state State
}

// Start recovers the state that was synced before a crash.
func (r *Replica) Start(ctx *sim.Context) {
	r.state = State{}
	if raw, ok := ctx.Storage().Get(storageKey); ok {
		assert.That(json.Unmarshal(raw, &r.state) == nil, "abd replica: corrupt state %q", raw)
	}
}

// Receive answers the two phases of the quorum calls.
func (r *Replica) Receive(ctx *sim.Context, from sim.NodeID, msg sim.Message) {
	req, ok := msg.(quorum.Request)
	if !ok {
		panic(fmt.Sprintf("abd replica: unexpected %T", msg))
	}
	switch arg := req.Arg.(type) {
	case MsgQuery:
	case MsgStore:
		if r.state.Tag.Less(arg.State.Tag) {
			r.state = arg.State
			raw, _ := json.Marshal(r.state)
			ctx.Storage().Put(storageKey, raw)
			ctx.Sync() // durable before the acknowledgement leaves
		}
	default:
		panic(fmt.Sprintf("abd replica: unexpected request %T", req.Arg))
	}
	ctx.Send(from, req.Reply(r.state))
}

// Timer implements sim.Agent; replicas arm none.
func (r *Replica) Timer(_ *sim.Context, name string) { assert.Fail("abd replica: timer %q", name) }

// State is the replica's current state.
func (r *Replica) State() State { return r.state }

// Describe renders the replica's state.
func (r *Replica) Describe() string { return r.state.Describe() }
