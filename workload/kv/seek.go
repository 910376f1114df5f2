package kv

import "github.com/orrery-sim/orrery/sim"

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
type Seeker struct {
	Servers   []sim.NodeID
	Timing    Timing
	guess     int // index into Servers of the presumed leader
	redirects int
	giveUpAt  sim.Time
}

// Start picks a first guess at the leader. Owners call it from their Start.
func (s *Seeker) Start(ctx *sim.Context) {
	s.guess = int(ctx.Rand(uint64(len(s.Servers))))
}

// Begin sends a new request and starts its deadline.
func (s *Seeker) Begin(ctx *sim.Context, request sim.Message) {
	s.redirects = 0
	s.giveUpAt = ctx.Now() + s.Timing.GiveUpAfter
	s.Send(ctx, request)
}

// Send sends the request to the presumed leader and arms the retry timer.
func (s *Seeker) Send(ctx *sim.Context, request sim.Message) {
	ctx.Send(s.Servers[s.guess], request)
	ctx.SetTimer(RetryTimer, s.Timing.RequestWait)
}

// Redirect follows a "not leader" answer: at once to a hinted leader (a bounded
// number of times per request), else by a retry after RedirectWait. The retry
// draws a random server; the guess moves on to the next server here only so that,
// should the request be given up instead, the next request starts elsewhere.
func (s *Seeker) Redirect(ctx *sim.Context, leader sim.NodeID, request sim.Message) {
	s.redirects++
	if leader != NoHint && s.Servers[s.guess] != leader && s.redirects <= s.Timing.RedirectsMax {
		for i, server := range s.Servers {
			if server == leader {
				s.guess = i
			}
		}
		s.Send(ctx, request)
		return
	}
	s.guess = (s.guess + 1) % len(s.Servers)
	ctx.SetTimer(RetryTimer, s.Timing.RedirectWait)
}

// Retry handles the retry timer. It reports false once the deadline has passed:
// the owner gives the operation up. Otherwise it resends at a random server.
func (s *Seeker) Retry(ctx *sim.Context, request sim.Message) bool {
	if ctx.Now() >= s.giveUpAt {
		return false
	}
	s.guess = int(ctx.Rand(uint64(len(s.Servers))))
	s.Send(ctx, request)
	return true
}

// Done stops retrying: the answer arrived.
func (s *Seeker) Done(ctx *sim.Context) { ctx.CancelTimer(RetryTimer) }
