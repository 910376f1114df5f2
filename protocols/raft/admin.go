package raft

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/orrery-sim/orrery/faults"
	"github.com/orrery-sim/orrery/internal/assert"
	"github.com/orrery-sim/orrery/sim"
)

// Membership changes come from an admin agent, which the nemesis (a
// reconfigure fault) or a scenario asks for a change. Like a client it is
// never faulted, finds the leader through redirects and retries; unlike a
// client it keeps asking until the leader reports the change committed,
// since each answer may carry only one step of it. Changes asked for while
// others are still under way are sent too, as several operators would: the
// leader takes one step at a time, of whichever request reaches it first.
// The fault is a request: the protocol carries it out when it can.
const (
	adminRetry       = 100 * sim.Millisecond // between requests for a change not yet done
	adminAttemptsMax = 100                   // requests for one change before the admin gives up on it
	adminChangesMax  = 64                    // changes under way at once
	timerAdmin       = "admin"
)

// Spares are servers outside the first configuration, running from the start
// so that they can join (-param spares=N). With none, the configuration is
// fixed and no admin runs, so a run without spares is the run it always was.
const (
	ParamSpares     = "spares"
	sparesMax       = 4
	sparesWithBug   = 2 // when a membership bug is planted and spares are not set
	adminClientName = "admin"
)

// sparesParam reads -param spares=N.
func sparesParam(params map[string]string, bug string) (int, error) {
	v, ok := params[ParamSpares]
	if !ok {
		if membershipBug(bug) {
			return sparesWithBug, nil
		}
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || n > sparesMax {
		return 0, fmt.Errorf("raft: %s=%q (want 0 to %d)", ParamSpares, v, sparesMax)
	}
	return n, nil
}

// adminChange is one requested change, its history operation and the
// sequence number of its latest request.
type adminChange struct {
	op          sim.OpID
	add, remove sim.NodeID
	seq         uint64
	attempts    int
}

// admin carries out membership changes, each until it is done, refused or
// given up on.
type admin struct {
	servers []sim.NodeID // every server, members and spares
	changes []adminChange
	seq     uint64     // of the last request sent
	leader  sim.NodeID // where requests go: the leader last heard of
	heard   bool       // an answer came since the last retry
	conf    Membership // as the leader last reported it
}

func newAdmin(servers []sim.NodeID, initial Membership) *admin {
	return &admin{servers: servers, leader: servers[0], conf: initial}
}

// reconfigurer is the protocol's reconfiguration hook: it hands the change
// to the admin.
func reconfigurer(adminID sim.NodeID) faults.Reconfigurer {
	return func(w *sim.World, c faults.Change) error {
		w.Request(w.Now(), adminID, c)
		return nil
	}
}

// Start implements sim.Agent. The admin is never faulted.
func (a *admin) Start(*sim.Context) {}

// Receive implements sim.Agent: changes to make, and the servers' answers.
func (a *admin) Receive(ctx *sim.Context, _ sim.NodeID, m sim.Message) {
	switch m := m.(type) {
	case sim.Request:
		c, ok := m.Payload.(faults.Change)
		assert.That(ok, "raft admin: request %T is not a faults.Change", m.Payload)
		assert.That(len(a.changes) < adminChangesMax, "raft admin: more than %d changes under way", adminChangesMax)
		a.changes = append(a.changes, adminChange{op: m.ID, add: c.Add, remove: c.Remove})
		if len(a.changes) == 1 {
			ctx.SetTimer(timerAdmin, adminRetry)
		}
		a.send(ctx, len(a.changes)-1)
	case MsgAdminResp:
		a.answer(ctx, m)
	default:
		panic("raft admin: unexpected " + sim.Describe(m))
	}
}

// answer follows a redirect at once, and finishes a change when it is done
// or refused; a pending change waits for the retry timer.
func (a *admin) answer(ctx *sim.Context, m MsgAdminResp) {
	k := slices.IndexFunc(a.changes, func(c adminChange) bool { return c.seq == m.Seq })
	if k < 0 {
		return // an answer to an older request
	}
	if m.NotLeader {
		// A server that knows no leader does not count as an answer: the
		// next retry tries another server.
		if m.Leader != none && m.Leader != a.leader {
			a.heard, a.leader = true, m.Leader
			a.send(ctx, k)
		}
		return
	}
	a.heard, a.leader, a.conf = true, m.Leader, m.Conf
	switch m.Status {
	case adminDone:
		a.finish(ctx, k, "done: "+m.Conf.Describe())
	case adminRefused:
		a.finish(ctx, k, "refused: "+m.Reason)
	}
}

// Timer implements sim.Agent: ask again for every change under way, of
// the next server when the last one did not answer.
func (a *admin) Timer(ctx *sim.Context, _ string) {
	if !a.heard {
		i := slices.Index(a.servers, a.leader)
		a.leader = a.servers[(i+1)%len(a.servers)]
	}
	a.heard = false
	for k := 0; k < len(a.changes); k++ {
		if a.changes[k].attempts >= adminAttemptsMax {
			a.finish(ctx, k, "gave up")
			k--
			continue
		}
		a.send(ctx, k)
	}
	if len(a.changes) > 0 {
		ctx.SetTimer(timerAdmin, adminRetry)
	}
}

// send asks for change k.
func (a *admin) send(ctx *sim.Context, k int) {
	c := &a.changes[k]
	c.attempts++
	a.seq++
	c.seq = a.seq
	ctx.Send(a.leader, MsgAdmin{Seq: c.seq, Add: c.add, Remove: c.remove})
}

// finish completes change k.
func (a *admin) finish(ctx *sim.Context, k int, result string) {
	ctx.Return(a.changes[k].op, result)
	a.changes = slices.Delete(a.changes, k, k+1)
	if len(a.changes) == 0 {
		ctx.CancelTimer(timerAdmin)
	}
}

// describe renders the admin for scenario output.
func (a *admin) describe() string {
	s := "admin: last heard " + a.conf.Describe()
	if len(a.changes) > 0 {
		s += "; " + strconv.Itoa(len(a.changes)) + " change(s) under way"
	}
	return s
}
