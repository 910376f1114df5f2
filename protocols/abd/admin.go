package abd

import (
	"fmt"
	"slices"

	"github.com/orrery-sim/orrery/faults"
	"github.com/orrery-sim/orrery/internal/assert"
	"github.com/orrery-sim/orrery/protocols/quorum"
	"github.com/orrery-sim/orrery/sim"
)

// Reconfiguration timing and limits.
const (
	reconfTimeout  = 60 * sim.Millisecond // before a phase resends to silent replicas
	reconfRetries  = 15                   // resends before a phase starts over (it never gives up)
	reconfQueueMax = 256                  // changes waiting for the one in progress
)

// Admin changes the configuration, one change at a time, in two quorum calls
// (see the package comment): it seals the old configuration, reading its state
// from a majority, then writes that state to a majority of the new one, which
// serves from then on. Like a client it is never faulted; it is the
// configuration master of Vertical Paxos, so the next configuration needs no
// agreement.
type Admin struct {
	servers []sim.NodeID // every replica, members and spares
	bug     string
	config  quorum.Configuration // the configuration in force
	next    quorum.Configuration // the one being installed, while busy
	sealed  bool                 // the old configuration's state has been read
	state   State                // what the read found
	opID    sim.OpID
	busy    bool
	queue   []sim.Request
	caller  *quorum.Caller[State]
}

func newAdmin(initial quorum.Configuration, servers []sim.NodeID, bug string) *Admin {
	return &Admin{config: initial, servers: servers, bug: bug}
}

// Start implements sim.Agent. The admin is never faulted, so epoch 0 is safe.
func (a *Admin) Start(*sim.Context) { a.caller = quorum.NewCaller[State]("reconf", 0) }

// Receive takes changes from the nemesis and the replicas' replies.
func (a *Admin) Receive(ctx *sim.Context, from sim.NodeID, msg sim.Message) {
	switch m := msg.(type) {
	case sim.Request:
		_, ok := m.Payload.(Reconfiguration)
		assert.That(ok, "abd admin: request %s is not a reconfiguration", sim.Describe(m.Payload))
		assert.That(len(a.queue) < reconfQueueMax, "abd admin: more than %d changes waiting", reconfQueueMax)
		a.queue = append(a.queue, m)
		a.startNext(ctx)
	case quorum.Reply:
		if r, done := a.caller.Receive(ctx, from, m); done {
			a.advance(ctx, r)
		}
	default:
		panic(fmt.Sprintf("abd admin: unexpected %T", msg))
	}
}

// Timer handles the retry timer of the phase in progress.
func (a *Admin) Timer(ctx *sim.Context, name string) {
	if r, done := a.caller.Timer(ctx, name); done {
		a.advance(ctx, r)
	}
}

// startNext starts the next waiting change that applies to the configuration in
// force; a change that does not (the shrinker may have deleted the change
// before it) is answered with the reason and skipped.
func (a *Admin) startNext(ctx *sim.Context) {
	for !a.busy && len(a.queue) > 0 {
		req := a.queue[0]
		a.queue = a.queue[1:]
		next, err := a.apply(req.Payload.(Reconfiguration).Change)
		if err != nil {
			ctx.Logf("%s refused: %v", sim.Describe(req.Payload), err)
			ctx.Return(req.ID, "refused: "+err.Error())
			continue
		}
		a.busy, a.next, a.sealed, a.opID = true, next, false, req.ID
		a.seal(ctx)
	}
}

// apply returns the configuration a change leads to.
func (a *Admin) apply(c faults.Change) (quorum.Configuration, error) {
	nodes := slices.Clone(a.config.Nodes)
	if c.Remove != faults.NoNode {
		i := slices.Index(nodes, c.Remove)
		if i < 0 {
			return a.config, fmt.Errorf("%s is not a member of %s", nodeName(c.Remove), describeConfig(a.config))
		}
		nodes = slices.Delete(nodes, i, i+1)
	}
	if c.Add != faults.NoNode {
		if slices.Contains(nodes, c.Add) || !slices.Contains(a.servers, c.Add) {
			return a.config, fmt.Errorf("%s is a member of %s already, or no replica", nodeName(c.Add), describeConfig(a.config))
		}
		nodes = append(nodes, c.Add)
	}
	if len(nodes) == 0 {
		return a.config, fmt.Errorf("it would leave no replica")
	}
	slices.Sort(nodes)
	return quorum.Configuration{Epoch: a.config.Epoch + 1, Nodes: nodes}, nil
}

// seal is the first phase, "read old": every replica of the configuration in
// force moves to the next one and reports its state; a majority must answer
// (with the transfer-from-one bug, any one).
func (a *Admin) seal(ctx *sim.Context) {
	need := quorum.Majority(len(a.config.Nodes))
	if a.bug == BugTransferFromOne {
		need = 1
	}
	a.caller.Call(ctx, quorum.Spec[State]{Nodes: a.config.Nodes, Arg: MsgSeal{Next: a.next},
		Quorum: quorum.AtLeast(need, newest), Timeout: reconfTimeout, Retries: reconfRetries})
}

// transfer is the second phase, "write new": the newest state read is stored
// at a majority of the next configuration, whose replicas serve once they
// hold it.
func (a *Admin) transfer(ctx *sim.Context) {
	a.caller.Call(ctx, quorum.Spec[State]{Nodes: a.next.Nodes, Arg: MsgTransfer{Next: a.next, State: a.state},
		Quorum: quorum.AtLeast(quorum.Majority(len(a.next.Nodes)), newest), Timeout: reconfTimeout, Retries: reconfRetries})
}

// advance moves the change to its next phase. A phase that timed out starts
// over: giving up after the seal would leave no configuration serving.
func (a *Admin) advance(ctx *sim.Context, r quorum.Result[State]) {
	switch {
	case r.Err != nil && !a.sealed:
		a.seal(ctx)
	case r.Err != nil:
		a.transfer(ctx)
	case !a.sealed:
		a.sealed, a.state = true, r.Value
		a.transfer(ctx)
	default:
		a.config, a.busy = a.next, false
		ctx.Return(a.opID, Configured{Config: a.config})
		a.startNext(ctx)
	}
}

// Config is the configuration in force.
func (a *Admin) Config() quorum.Configuration { return a.config }

// Describe renders the admin's state.
func (a *Admin) Describe() string {
	switch {
	case !a.busy:
		return "in force " + describeConfig(a.config)
	case !a.sealed:
		return fmt.Sprintf("sealing %s for %s (%s)", describeConfig(a.config), describeConfig(a.next), a.caller.Describe())
	}
	return fmt.Sprintf("transferring %s to %s (%s)", a.state.Describe(), describeConfig(a.next), a.caller.Describe())
}
