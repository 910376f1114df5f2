package kv

import (
	"slices"

	"github.com/orrery-sim/orrery/internal/assert"
	"github.com/orrery-sim/orrery/sim"
)

// RetryTimer is the name of the timer a Seeker arms on its owner.
const RetryTimer = "retry"

// NoHint is the leader of a "not leader" answer that names none.
const NoHint sim.NodeID = -1

// Timing sets a client's pace and its patience with the servers.
type Timing struct {
	RequestWait  sim.Time // before retrying at another server
	RedirectWait sim.Time // after "not leader" without a hint
	GiveUpAfter  sim.Time // an operation unanswered this long stays open
	RedirectsMax int      // redirects followed per operation
	ThinkMax     sim.Time // pause between one answer and the next operation (drawn up to this)
	CappedPoll   sim.Time // how often a client that used up its operations looks for the liveness phase
}

// DefaultTiming suits servers with election timeouts of a few hundred
// milliseconds.
var DefaultTiming = Timing{
	RequestWait:  150 * sim.Millisecond,
	RedirectWait: 20 * sim.Millisecond,
	GiveUpAfter:  3 * sim.Second,
	RedirectsMax: 8,
	ThinkMax:     40 * sim.Millisecond,
	CappedPoll:   250 * sim.Millisecond,
}

// Seeker is the leader-seeking half of a client: one request at a time, sent
// to the presumed leader, followed through "not leader" answers (at once to a
// hinted leader, else retried after a pause), retried at a random server
// when unanswered, and given up after a deadline. Client uses it; an agent
// with a workload of its own can too. Its owner forwards RetryTimer to Retry.
// Route, if set, sends a request where the protocol serves it instead.
type Seeker struct {
	Servers []sim.NodeID
	Timing  Timing
	// Route, set before Begin (Client sets it per operation from
	// Protocol.Route), picks the server of each attempt at that request, for
	// protocols whose operations are served by different servers (chain
	// replication: writes at the head, reads at the tail): attempt 0 is
	// Begin's send, attempt n the n-th retry (after RequestWait unanswered,
	// or after RedirectWait following a "not leader" without a hint). ok
	// false leaves that attempt to the seeker: the presumed leader first, a
	// random server on a retry. A routed server must be one of Servers. A
	// hint that answers a routed attempt is followed like any other but is
	// not taken for the leader: it may name the server of one kind of
	// operation only. Route draws any randomness from ctx.
	Route func(ctx *sim.Context, attempt int) (server sim.NodeID, ok bool)

	guess     int        // index into Servers of the presumed leader
	last      sim.NodeID // the server the request went to last
	routed    bool       // the last attempt went where Route said
	attempt   int        // retries of the request so far
	redirects int
	giveUpAt  sim.Time
}

// Start picks a first guess at the leader. Owners call it from their Start.
func (s *Seeker) Start(ctx *sim.Context) {
	s.guess = int(ctx.Rand(uint64(len(s.Servers))))
}

// Begin sends a new request and starts its deadline.
func (s *Seeker) Begin(ctx *sim.Context, request sim.Message) {
	s.redirects, s.attempt = 0, 0
	s.giveUpAt = ctx.Now() + s.Timing.GiveUpAfter
	if !s.attemptSend(ctx, request) {
		s.Send(ctx, request)
	}
}

// Send sends the request to the presumed leader and arms the retry timer.
func (s *Seeker) Send(ctx *sim.Context, request sim.Message) {
	s.routed = false
	s.sendTo(ctx, s.Servers[s.guess], request)
}

func (s *Seeker) sendTo(ctx *sim.Context, server sim.NodeID, request sim.Message) {
	s.last = server
	ctx.Send(server, request)
	ctx.SetTimer(RetryTimer, s.Timing.RequestWait)
}

// attemptSend sends an attempt that follows no hint where Route says, and
// reports whether it did; if not, the caller sends to the presumed leader
// (Begin) or a random server (Retry).
func (s *Seeker) attemptSend(ctx *sim.Context, request sim.Message) (routed bool) {
	if s.Route == nil {
		return false
	}
	server, ok := s.Route(ctx, s.attempt)
	if !ok {
		return false
	}
	assert.That(slices.Contains(s.Servers, server), "kv: Route chose %d, not one of the servers %v", server, s.Servers)
	s.sendTo(ctx, server, request)
	s.routed = true
	return true
}

// Redirect follows a "not leader" answer: at once to a hinted leader (a bounded
// number of times per request), else by a retry after RedirectWait. The retry
// draws a random server (or asks Route); the guess moves on to the next server
// here only so that, should the request be given up instead, the next request
// starts elsewhere. A hint or a refusal that answers a routed attempt leaves
// the guess alone.
func (s *Seeker) Redirect(ctx *sim.Context, leader sim.NodeID, request sim.Message) {
	s.redirects++
	// Unrouted, compare with the guess even when an unhinted refusal already
	// moved it past the server asked: runs without Route stay as they were.
	asked := s.Servers[s.guess]
	if s.routed {
		asked = s.last
	}
	if leader != NoHint && asked != leader && s.redirects <= s.Timing.RedirectsMax {
		if s.routed {
			s.sendTo(ctx, leader, request)
			return
		}
		for i, server := range s.Servers {
			if server == leader {
				s.guess = i
			}
		}
		s.Send(ctx, request)
		return
	}
	if !s.routed {
		s.guess = (s.guess + 1) % len(s.Servers)
	}
	ctx.SetTimer(RetryTimer, s.Timing.RedirectWait)
}

// Retry handles the retry timer. It reports false once the deadline has passed:
// the owner gives the operation up. Otherwise it resends where Route says, or
// at a random server.
func (s *Seeker) Retry(ctx *sim.Context, request sim.Message) bool {
	if ctx.Now() >= s.giveUpAt {
		return false
	}
	s.attempt++
	if s.attemptSend(ctx, request) {
		return true
	}
	s.guess = int(ctx.Rand(uint64(len(s.Servers))))
	s.Send(ctx, request)
	return true
}

// Done stops retrying: the answer arrived.
func (s *Seeker) Done(ctx *sim.Context) { ctx.CancelTimer(RetryTimer) }
