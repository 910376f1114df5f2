package abd

import (
	"cmp"
	"errors"
	"fmt"
	"strings"

	"github.com/orrery-sim/orrery/internal/assert"
	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/protocols/quorum"
	"github.com/orrery-sim/orrery/sim"
)

// Workload timing and limits.
const (
	clientThinkMax = 30 * sim.Millisecond // pause between operations
	callTimeout    = 60 * sim.Millisecond // before a phase resends to silent replicas (-param call-timeout-ms)
	callTimeoutMax = 60 * sim.Second      // the most -param call-timeout-ms takes
	callRetries    = 15                   // resends before an operation is given up (stays open)
	writesPercent  = 50                   // share of writes in the workload
	clientOpsMax   = 2000                 // operations per client and run
	scriptQueueMax = 64                   // scripted operations waiting
	redirectsMax   = 64                   // configurations one phase follows before it gives up
)

type phase uint8

const (
	phaseIdle phase = iota
	phaseQuery
	phaseStore
)

// Client reads and writes the register: one operation at a time, each made of
// two quorum calls. An operation whose phase times out stays open in the history.
// Every call is made in the newest configuration the client knows; a replica
// that has moved on redirects it, and the client repeats the phase there.
type Client struct {
	config    quorum.Configuration
	bug       string
	caller    *quorum.Caller[State]
	phase     phase
	arg       any // the current phase's argument, repeated after a redirect
	redirects int // redirects the current phase followed
	op        Op
	opID      sim.OpID
	result    Result
	counter   uint64 // the highest counter this writer used, so its tags never repeat
	issued    int
	opsMax    int             // operations to issue (0: clientOpsMax), protocols.Options.Ops
	skip      protocols.OpSet // operations left out, protocols.Options.Skip
	timeout   sim.Time        // before a phase resends (0: callTimeout), -param call-timeout-ms
	script    bool            // driven by a scenario's requests rather than the workload
	queue     []sim.Request   // scripted operations waiting for the current one
}

func newClient(initial quorum.Configuration, bug string, scripted bool) *Client {
	return &Client{config: initial, bug: bug, script: scripted}
}

// Start arms the first operation. Clients are never faulted, so epoch 0 is safe.
func (c *Client) Start(ctx *sim.Context) {
	c.caller = quorum.NewCaller[State]("abd", 0)
	if !c.script {
		ctx.SetTimer("issue", ctx.RandTime(0, clientThinkMax))
	}
}

// Receive forwards replies to the caller, and takes scripted requests.
func (c *Client) Receive(ctx *sim.Context, from sim.NodeID, msg sim.Message) {
	switch m := msg.(type) {
	case quorum.Reply:
		if m.Redirect != nil && c.bug == BugStaleEpochAccepted {
			m = quorum.Reply{Call: m.Call, Value: State{}} // counted as an answer that holds nothing newer
		}
		if r, done := c.caller.Receive(ctx, from, m); done {
			c.advance(ctx, r)
		}
	case sim.Request:
		c.scripted(ctx, m)
	default:
		panic(fmt.Sprintf("abd client: unexpected %T", msg))
	}
}

// Timer issues the next operation or handles a phase's retry timer.
func (c *Client) Timer(ctx *sim.Context, name string) {
	if name == c.caller.TimerName() {
		if r, done := c.caller.Timer(ctx, name); done {
			c.advance(ctx, r)
		}
		return
	}
	if c.phase != phaseIdle || c.script || c.issued >= clientOpsMax || (c.opsMax > 0 && c.issued >= c.opsMax) {
		return
	}
	c.issued++
	op := Op{Write: ctx.Rand(100) < writesPercent}
	if op.Write {
		op.Value = fmt.Sprintf("%s.%d", ctx.Name(ctx.Self()), c.issued)
	}
	if took, skip := c.skip.Skipped(ctx.Name(ctx.Self()), uint64(c.issued)); skip {
		ctx.SetTimer("issue", took+ctx.RandTime(0, clientThinkMax)) // as if done then
		return
	}
	c.begin(ctx, op, ctx.Invoke(op))
}

// scripted queues an operation a scenario injected ("write V" or "read"); from
// then on the client runs only scripted operations.
func (c *Client) scripted(ctx *sim.Context, req sim.Request) {
	c.script = true
	ctx.CancelTimer("issue")
	assert.That(len(c.queue) < scriptQueueMax, "abd client: more than %d scripted operations queued", scriptQueueMax)
	c.queue = append(c.queue, req)
	c.next(ctx)
}

func (c *Client) next(ctx *sim.Context) {
	if c.phase != phaseIdle || len(c.queue) == 0 {
		return
	}
	req := c.queue[0]
	c.queue = c.queue[1:]
	var op Op
	if text, _ := req.Payload.(string); strings.HasPrefix(text, "write ") {
		op = Op{Write: true, Value: strings.TrimPrefix(text, "write ")}
	}
	c.begin(ctx, op, req.ID)
}

func (c *Client) begin(ctx *sim.Context, op Op, id sim.OpID) {
	c.op, c.opID, c.result = op, id, Result{}
	c.call(ctx, phaseQuery, MsgQuery{})
}

// call starts a phase in the client's configuration.
func (c *Client) call(ctx *sim.Context, p phase, arg any) {
	c.phase, c.arg, c.redirects = p, arg, 0
	c.caller.Call(ctx, c.spec(arg))
}

// spec is one phase's call to every replica of the configuration. The quorum
// function is a majority (or, with the minority-quorum bug, less) and combines
// replies into the newest state any of them holds.
func (c *Client) spec(arg any) quorum.Spec[State] {
	need := quorum.Majority(len(c.config.Nodes))
	if c.bug == BugMinorityQuorum {
		need = max(1, len(c.config.Nodes)/2)
	}
	return quorum.Spec[State]{
		Nodes: c.config.Nodes, Arg: arg, Timeout: cmp.Or(c.timeout, callTimeout), Retries: callRetries,
		Quorum: quorum.AtLeast(need, newest), ConfigEpoch: c.config.Epoch,
	}
}

// redirected repeats the phase in the newer configuration a replica named.
func (c *Client) redirected(ctx *sim.Context, to quorum.Configuration) bool {
	if c.redirects >= redirectsMax {
		return false
	}
	c.redirects++
	if c.config.Epoch < to.Epoch {
		c.config = to
	}
	c.caller.Call(ctx, c.spec(c.arg))
	return true
}

func newest(replies []quorum.Response[State]) State {
	var best State
	for _, r := range replies {
		if best.Tag.Less(r.Value.Tag) {
			best = r.Value
		}
	}
	return best
}

// advance moves an operation to its next phase when a call decided.
func (c *Client) advance(ctx *sim.Context, r quorum.Result[State]) {
	if errors.Is(r.Err, quorum.ErrStaleConfig) && c.redirected(ctx, *r.Redirect) {
		return
	}
	if r.Err != nil {
		ctx.Logf("gave up on %s: %v", c.op.Describe(), r.Err)
		c.finish(ctx, false)
		return
	}
	switch {
	case c.phase == phaseQuery && c.op.Write:
		c.counter = max(c.counter, r.Value.Tag.Counter) + 1
		c.store(ctx, State{Tag: Tag{Counter: c.counter, Writer: int32(ctx.Self())}, Value: c.op.Value})
	case c.phase == phaseQuery:
		c.result = Result{Value: r.Value.Value, Exists: r.Value.Tag != Tag{}}
		if c.bug == BugSkipWriteBack || !c.result.Exists {
			c.finish(ctx, true) // nothing to write back for a never-written register
			return
		}
		c.store(ctx, r.Value)
	default:
		c.finish(ctx, true)
	}
}

func (c *Client) store(ctx *sim.Context, s State) {
	c.call(ctx, phaseStore, MsgStore{State: s})
}

// finish completes the operation (or leaves it open) and arms the next one.
func (c *Client) finish(ctx *sim.Context, ok bool) {
	c.phase = phaseIdle
	if ok {
		ctx.Return(c.opID, c.result)
	}
	if c.script {
		c.next(ctx)
		return
	}
	ctx.SetTimer("issue", ctx.RandTime(0, clientThinkMax))
}

// Describe renders the client's state.
func (c *Client) Describe() string {
	if c.phase == phaseIdle {
		return "idle in " + describeConfig(c.config)
	}
	names := [...]string{"idle", "query", "store"}
	return fmt.Sprintf("%s %s in %s (%s)", c.op.Describe(), names[c.phase], describeConfig(c.config), c.caller.Describe())
}
