package ovid

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/orrery-sim/orrery/internal/assert"
	"github.com/orrery-sim/orrery/protocols/ovid/cluster"
	"github.com/orrery-sim/orrery/sim"
	"github.com/orrery-sim/orrery/workload/kv"
)

// Timing and limits of the key-value client.
const (
	kvThinkMax      = 50 * sim.Millisecond
	kvRetryAfter    = 150 * sim.Millisecond
	kvGiveUpAfter   = 2 * sim.Second // an unanswered operation stays open in the history
	kvLinesQueueMax = 256
	kvOpsDefault    = 200 // workload operations per client and run
	portTTY         = "tty"
)

// kvClientAttrs are a kv-client's attributes.
type kvClientAttrs struct {
	Keys     []string `json:"keys"`     // keys of the random workload
	Workload *bool    `json:"workload"` // run a random workload (default true)
	Ops      int      `json:"ops"`      // workload operations (default kvOpsDefault)
}

func decodeKVClientAttrs(raw json.RawMessage) (any, error) {
	a := kvClientAttrs{Keys: []string{"a", "b"}, Ops: kvOpsDefault}
	if err := cluster.DecodeAttrs(raw, &a); err != nil {
		return nil, err
	}
	if a.Workload == nil {
		yes := true
		a.Workload = &yes
	}
	if *a.Workload && len(a.Keys) == 0 {
		return nil, cluster.Errorf(".keys", "a workload needs at least one key")
	}
	for i, k := range a.Keys {
		if k == "" || len(k) > 64 {
			return nil, cluster.Errorf(cluster.Index(".keys", i), "bad key %q", k)
		}
	}
	if a.Ops < 0 || a.Ops > 100_000 {
		return nil, cluster.Errorf(".ops", "want 0 to 100000 operations, got %d", a.Ops)
	}
	return a, nil
}

// checkKVClientInput refuses a kv-client that ttys could send more lines
// than it queues: a tty sends every due line at once, so the bound is on
// all the lines of every tty that targets the client.
func checkKVClientInput(c *cluster.Cluster, a *cluster.Agent) error {
	lines := 0
	for _, tty := range c.OfType("tty") {
		for _, t := range tty.Routes["out"] {
			if t.Agent == a.ID {
				lines += len(tty.Attrs.(ttyAttrs).Script)
			}
		}
	}
	if lines > kvLinesQueueMax {
		return cluster.Errorf("", "ttys send %s %d lines, more than the %d a kv-client queues", a.ID, lines, kvLinesQueueMax)
	}
	return nil
}

// KVClient issues one operation at a time to its "db" route: lines from a tty
// first, then its random workload, at most Agent.Ops of them (when set) so a
// shrinker can cut the workload short. It retries with the same sequence number until
// answered or it gives up (the operation stays open). Its sequence numbers carry
// a durable boot count, so a restarted client never reuses one.
type KVClient struct {
	agent    *cluster.Agent
	router   *cluster.Router
	attrs    kvClientAttrs
	boot     uint64
	n        uint64 // operations issued in this incarnation
	busy     bool
	op       KVOp
	opID     sim.OpID
	giveUp   sim.Time
	lines    []KVOp
	requests []sim.Request // operations a model checker or script injected, run before lines
	workDone int
	invoked  int // tty lines and workload operations this incarnation invoked itself
}

func newKVClient(a *cluster.Agent, r *cluster.Router) sim.Agent {
	return &KVClient{agent: a, router: r, attrs: a.Attrs.(kvClientAttrs)}
}

// Start counts the boot and arms the workload.
func (c *KVClient) Start(ctx *sim.Context) {
	if raw, ok := ctx.Storage().Get("boot"); ok {
		c.boot, _ = strconv.ParseUint(string(raw), 10, 64)
	}
	c.boot++
	ctx.Storage().Put("boot", []byte(strconv.FormatUint(c.boot, 10)))
	ctx.Sync()
	ctx.SetTimer("issue", ctx.RandTime(0, kvThinkMax))
}

func (c *KVClient) seq() uint64 { return c.boot<<32 | c.n }

// Receive takes replies, tty lines and injected requests.
func (c *KVClient) Receive(ctx *sim.Context, from sim.NodeID, msg sim.Message) {
	if req, ok := msg.(sim.Request); ok {
		_, isOp := req.Payload.(KVOp)
		assert.That(isOp, "kv-client: request payload %T is not a KVOp", req.Payload)
		assert.That(len(c.requests) < kvLinesQueueMax, "kv-client: more than %d requests queued", kvLinesQueueMax)
		c.requests = append(c.requests, req)
		if !c.busy {
			c.issue(ctx)
		}
		return
	}
	env, ok := msg.(cluster.Envelope)
	assert.That(ok, "kv-client: unexpected %T", msg)
	switch m := env.Msg.(type) {
	case MsgKVReply:
		if !c.busy || m.Seq != c.seq() {
			return // late or duplicated
		}
		c.busy = false
		ctx.Return(c.opID, KVResult{Value: m.Value})
		ctx.CancelTimer("retry")
		ctx.SetTimer("issue", ctx.RandTime(0, kvThinkMax))
	case Line:
		op, err := ParseKVLine(m.Text)
		if err != nil {
			ctx.Logf("ignored: %v", err)
			return
		}
		assert.That(len(c.lines) < kvLinesQueueMax, "kv-client: more than %d lines queued", kvLinesQueueMax)
		c.lines = append(c.lines, op)
		if !c.busy {
			ctx.SetTimer("issue", 0)
		}
	default:
		assert.Fail("kv-client: unexpected %T", env.Msg)
	}
}

// Timer issues the next operation or retries the current one.
func (c *KVClient) Timer(ctx *sim.Context, name string) {
	switch name {
	case "issue":
		if !c.busy {
			c.issue(ctx)
		}
	case "retry":
		if ctx.Now() >= c.giveUp {
			c.busy = false // stays open: it may or may not have taken effect
			c.issue(ctx)
			return
		}
		c.send(ctx)
	default:
		assert.Fail("kv-client: unknown timer %q", name)
	}
}

func (c *KVClient) issue(ctx *sim.Context) {
	if len(c.requests) > 0 { // invoked already, by whoever injected it
		req := c.requests[0]
		c.requests = c.requests[1:]
		c.op, c.opID = req.Payload.(KVOp), req.ID
		c.n++
		c.busy, c.giveUp = true, ctx.Now()+kvGiveUpAfter
		c.send(ctx)
		return
	}
	switch {
	case c.capped():
		return // injected requests are the injector's; the cap is on the client's own
	case len(c.lines) > 0:
		c.op, c.lines = c.lines[0], c.lines[1:]
	case *c.attrs.Workload && c.workDone < c.attrs.Ops:
		c.workDone++
		c.op = c.pick(ctx)
	default:
		return
	}
	c.n++
	c.invoked++
	c.busy, c.opID, c.giveUp = true, ctx.Invoke(c.op), ctx.Now()+kvGiveUpAfter
	c.send(ctx)
}

// capped: the client invoked as many operations as the run's cap allows.
func (c *KVClient) capped() bool { return c.agent.Ops > 0 && c.invoked >= c.agent.Ops }

func (c *KVClient) send(ctx *sim.Context) {
	c.router.Send(ctx, "db", MsgKVRequest{Seq: c.seq(), Op: c.op})
	ctx.SetTimer("retry", kvRetryAfter)
}

func (c *KVClient) pick(ctx *sim.Context) KVOp {
	key := c.attrs.Keys[ctx.Rand(uint64(len(c.attrs.Keys)))]
	value := fmt.Sprintf("%s.%d", c.agent.ID, c.workDone)
	switch d := ctx.Rand(10); {
	case d < 4:
		return KVOp{Kind: "get", Key: key}
	case d < 7:
		return KVOp{Kind: "put", Key: key, Value: value}
	case d < 9:
		return KVOp{Kind: "append", Key: key, Value: kv.TokenStart + value} // unique: exactly-once shows a double apply
	}
	return KVOp{Kind: "delete", Key: key}
}

// Describe renders the client's state.
func (c *KVClient) Describe() string {
	if !c.busy {
		return fmt.Sprintf("idle, %d lines queued", len(c.lines))
	}
	return fmt.Sprintf("waiting for #%d %s, %d lines queued", c.n, c.op.Describe(), len(c.lines))
}

// KVResult is what an operation returned, as the history records it.
type KVResult struct{ Value string }

// Describe implements sim.Describer.
func (r KVResult) Describe() string { return strconv.Quote(r.Value) }
