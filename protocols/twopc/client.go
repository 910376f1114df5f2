package twopc

import (
	"strconv"

	"github.com/orrery-sim/orrery/sim"
)

// Workload timing.
const (
	clientThinkMax    = 30 * sim.Millisecond  // pause between one outcome and the next transaction
	clientRetryWait   = 300 * sim.Millisecond // before asking the coordinator again
	clientGiveUpAfter = 2 * sim.Second        // a transaction unanswered this long stays open
)

// keyNames are the keys each participant owns ("p1.x", "p1.y", ...).
var keyNames = [...]string{"x", "y"}

// Client submits a stream of transactions, one at a time, each writing keys
// of two participants and sometimes a third key.
type Client struct {
	name         string
	participants int
	opsMax       int // transactions to submit (0: no cap)
	seq          uint64
	busy         bool
	id           sim.OpID
	txn          Txn
	giveUpAt     sim.Time
}

// Start implements sim.Agent.
func (c *Client) Start(ctx *sim.Context) {
	ctx.SetTimer(timerIssue, ctx.RandTime(0, clientThinkMax))
}

// Receive implements sim.Agent.
func (c *Client) Receive(ctx *sim.Context, _ sim.NodeID, m sim.Message) {
	o, ok := m.(MsgOutcome)
	if !ok || !c.busy || o.Seq != c.seq {
		return
	}
	c.busy = false
	ctx.Return(c.id, o.Decision)
	ctx.CancelTimer(timerRetry)
	ctx.SetTimer(timerIssue, ctx.RandTime(0, clientThinkMax))
}

// Timer implements sim.Agent.
func (c *Client) Timer(ctx *sim.Context, name string) {
	switch name {
	case timerIssue:
		c.issue(ctx)
	case timerRetry:
		if ctx.Now() >= c.giveUpAt {
			c.busy = false // stays open: the coordinator may still decide it
			c.issue(ctx)
			return
		}
		c.send(ctx)
	}
}

func (c *Client) issue(ctx *sim.Context) {
	if c.opsMax > 0 && c.seq >= uint64(c.opsMax) {
		return
	}
	c.seq++
	c.txn = c.pick(ctx)
	c.id = ctx.Invoke(c.txn)
	c.busy, c.giveUpAt = true, ctx.Now()+clientGiveUpAfter
	c.send(ctx)
}

func (c *Client) send(ctx *sim.Context) {
	ctx.Send(coordinatorID, MsgBegin{Seq: c.seq, Txn: c.txn})
	ctx.SetTimer(timerRetry, clientRetryWait)
}

// pick draws the writes: a key of one participant, a key of another, and
// half the time one more key anywhere.
func (c *Client) pick(ctx *sim.Context) Txn {
	value := c.name + "." + strconv.FormatUint(c.seq, 10)
	first := 1 + int(ctx.Rand(uint64(c.participants)))
	owners := []int{first}
	if c.participants > 1 {
		owners = append(owners, 1+(first+int(ctx.Rand(uint64(c.participants-1))))%c.participants)
	}
	if ctx.Rand(2) == 0 {
		owners = append(owners, 1+int(ctx.Rand(uint64(c.participants))))
	}
	var t Txn
	for _, o := range owners {
		key := "p" + strconv.Itoa(o) + "." + keyNames[ctx.Rand(uint64(len(keyNames)))]
		dup := false
		for _, w := range t.Writes {
			dup = dup || w.Key == key
		}
		if !dup {
			t.Writes = append(t.Writes, Write{Key: key, Value: value})
		}
	}
	return t
}
