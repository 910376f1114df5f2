package etcdraft

import (
	"strconv"

	"github.com/orrery-sim/orrery/sim"
)

// OpKind is a key-value operation.
type OpKind uint8

// The operations; append is not idempotent, so executing one twice shows.
const (
	OpGet OpKind = iota
	OpPut
	OpAppend
	OpDelete
)

var opNames = [...]string{"get", "put", "append", "delete"}

func (k OpKind) String() string { return opNames[k] }

// Op is a client operation.
type Op struct {
	Kind  OpKind `json:"k"`
	Key   string `json:"y"`
	Value string `json:"v,omitempty"`
}

// Describe renders the operation: "put a=1.3".
func (o Op) Describe() string {
	if o.Kind == OpPut || o.Kind == OpAppend {
		return o.Kind.String() + " " + o.Key + "=" + strconv.Quote(o.Value)
	}
	return o.Kind.String() + " " + o.Key
}

// Result is an operation's output.
type Result struct {
	Value string `json:"v,omitempty"`
	Found bool   `json:"f,omitempty"`
	OK    bool   `json:"o,omitempty"`
}

// MsgRequest asks a server to execute an operation.
type MsgRequest struct {
	Seq uint64
	Op  Op
}

// MsgResponse answers a request, or redirects to the leader the server knows.
type MsgResponse struct {
	Seq       uint64
	NotLeader bool
	Leader    sim.NodeID
	Result    Result
}

const (
	clientWait     = 150 * sim.Millisecond
	clientRedirect = 20 * sim.Millisecond
	clientGiveUp   = 3 * sim.Second
	clientThinkMax = 40 * sim.Millisecond
)

var keys = [...]string{"a", "b", "c"}

// client issues one operation at a time, seeking the leader.
type client struct {
	servers []sim.NodeID
	opsMax  int
	target  int // index into servers
	seq     uint64
	busy    bool
	id      sim.OpID
	op      Op
	began   sim.Time
}

func (c *client) Start(ctx *sim.Context) {
	c.target = int(ctx.Rand(uint64(len(c.servers))))
	ctx.SetTimer("issue", ctx.RandTime(0, clientThinkMax))
}

func (c *client) Receive(ctx *sim.Context, from sim.NodeID, m sim.Message) {
	r, ok := m.(MsgResponse)
	if !ok || !c.busy || r.Seq != c.seq {
		return
	}
	if r.NotLeader {
		for i, s := range c.servers {
			if r.Leader == s && s != from {
				c.target = i
				ctx.SetTimer("retry", clientRedirect)
				return
			}
		}
		c.target = (c.target + 1) % len(c.servers)
		ctx.SetTimer("retry", clientRedirect)
		return
	}
	c.busy = false
	for i, s := range c.servers {
		if s == from {
			c.target = i // it answered: it leads
		}
	}
	ctx.CancelTimer("retry")
	ctx.Return(c.id, r.Result)
	ctx.SetTimer("issue", ctx.RandTime(0, clientThinkMax))
}

func (c *client) Timer(ctx *sim.Context, name string) {
	switch name {
	case "issue":
		c.issue(ctx)
	case "retry":
		if ctx.Now()-c.began > clientGiveUp {
			c.busy = false // stays open in the history
			c.issue(ctx)
			return
		}
		c.send(ctx)
	}
}

func (c *client) issue(ctx *sim.Context) {
	if c.opsMax > 0 && int(c.seq) >= c.opsMax {
		return
	}
	c.seq++
	key := keys[ctx.Rand(uint64(len(keys)))]
	value := strconv.Itoa(int(ctx.Self())) + "." + strconv.FormatUint(c.seq, 10)
	kind := OpKind(ctx.Rand(4))
	if kind == OpAppend {
		value = strconv.FormatUint(c.seq%10, 10)
	}
	c.op = Op{Kind: kind, Key: key, Value: value}
	c.id = ctx.Invoke(c.op)
	c.busy, c.began = true, ctx.Now()
	c.send(ctx)
}

func (c *client) send(ctx *sim.Context) {
	ctx.Send(c.servers[c.target], MsgRequest{Seq: c.seq, Op: c.op})
	ctx.SetTimer("retry", clientWait)
	c.target = (c.target + 1) % len(c.servers) // next try goes elsewhere unless redirected
}
