package chat

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/orrery-sim/orrery/internal/assert"
	"github.com/orrery-sim/orrery/sim"
)

// Timing of the failure detector, in the server's local time.
const (
	heartbeatInterval = 100 * sim.Millisecond
	aliveTimeout      = 500 * sim.Millisecond
	catchUpEntriesMax = 64      // entries per catch-up message
	holdBackMax       = 1 << 16 // early arrivals held per server
)

// Server is one chat server.
type Server struct {
	self    int          // index among servers
	servers []sim.NodeID // every server, self included
	bug     string

	log       []Entry          // delivered, in delivery order
	next      []int            // next[o]: number of origin o's entries delivered
	byOrigin  [][]Entry        // byOrigin[o][k]: origin o's entry k+1, for repairs
	holdBack  map[[2]int]Entry // early arrivals by (origin, seq)
	heard     []sim.Time       // local time a peer was last heard from
	submitted map[[2]int]Entry // (client, clientSeq) → entry, so a retry is not sent twice
	synced    int              // log entries known durable
	sent      [][]int          // sent[peer][o]: origin o's entries sent to peer (sent-is-delivered bug only)
}

func newServer(self int, servers []sim.NodeID, bug string) *Server {
	return &Server{self: self, servers: servers, bug: bug}
}

// Start recovers the log from storage and arms the heartbeat.
func (s *Server) Start(ctx *sim.Context) {
	n := len(s.servers)
	s.log, s.next, s.heard, s.byOrigin = nil, make([]int, n), make([]sim.Time, n), make([][]Entry, n)
	s.holdBack, s.submitted = map[[2]int]Entry{}, map[[2]int]Entry{}
	for _, key := range ctx.Storage().Keys("log/") {
		raw, _ := ctx.Storage().Get(key)
		e, ok := decodeEntry(raw)
		assert.That(ok, "corrupt log entry %s: %q", key, raw)
		s.deliver(e)
	}
	s.synced = len(s.log)
	now := ctx.Now()
	for i := range s.heard {
		s.heard[i] = now // everyone is presumed alive until a timeout says otherwise
	}
	ctx.SetTimer("heartbeat", heartbeatInterval)
}

// Receive handles client submissions, broadcasts, heartbeats and injected requests.
func (s *Server) Receive(ctx *sim.Context, from sim.NodeID, msg sim.Message) {
	if i := slices.Index(s.servers, from); i >= 0 {
		s.heard[i] = ctx.Now()
	}
	switch m := msg.(type) {
	case MsgSubmit:
		e := s.submit(ctx, m.Client, m.ClientSeq, m.Text)
		ctx.Send(from, MsgAck{ClientSeq: m.ClientSeq, Entry: e})
	case sim.Request:
		e := s.submit(ctx, -1-int(m.ID), 1, fmt.Sprint(m.Payload))
		ctx.Return(m.ID, e)
	case MsgBroadcast:
		for _, e := range m.Entries {
			s.receive(e)
		}
	case MsgPing:
		s.repair(ctx, from, m.Have)
	default:
		panic(fmt.Sprintf("chat server: unexpected %T", msg))
	}
}

// submit makes a client's message an entry of this origin, durable before it is
// acknowledged or broadcast.
func (s *Server) submit(ctx *sim.Context, client, clientSeq int, text string) Entry {
	if e, ok := s.submitted[[2]int{client, clientSeq}]; ok {
		return e // a retry of a message this server already took
	}
	e := Entry{Origin: s.self, Seq: s.next[s.self] + 1, Text: text}
	s.submitted[[2]int{client, clientSeq}] = e
	s.deliver(e)
	s.persist(ctx)
	if s.bug != BugAckBeforeSync {
		ctx.Sync()
	}
	s.synced = len(s.log)
	for i, peer := range s.servers {
		if i != s.self {
			s.noteSent(i, []Entry{e})
			ctx.Send(peer, MsgBroadcast{Entries: []Entry{e}})
		}
	}
	return e
}

// receive takes an entry from a peer: deliver it if it is next from its origin,
// hold it back if early, ignore it if already delivered.
func (s *Server) receive(e Entry) {
	if s.bug == BugNoHoldBack {
		if !s.delivered(e) {
			s.log = append(s.log, e)
			s.next[e.Origin] = max(s.next[e.Origin], e.Seq)
		}
		return
	}
	if s.bug == BugNoDedupe && s.next[e.Origin] >= e.Seq {
		s.log = append(s.log, e)
		return
	}
	switch {
	case e.Seq <= s.next[e.Origin]:
		return // a duplicate
	case e.Seq > s.next[e.Origin]+1:
		assert.That(len(s.holdBack) < holdBackMax, "hold-back buffer over %d entries", holdBackMax)
		s.holdBack[[2]int{e.Origin, e.Seq}] = e
		return
	}
	s.deliver(e)
	for {
		key := [2]int{e.Origin, s.next[e.Origin] + 1}
		held, ok := s.holdBack[key]
		if !ok {
			return
		}
		delete(s.holdBack, key)
		s.deliver(held)
	}
}

func (s *Server) delivered(e Entry) bool {
	return slices.ContainsFunc(s.log, func(d Entry) bool { return d.Origin == e.Origin && d.Seq == e.Seq })
}

func (s *Server) deliver(e Entry) {
	s.log = append(s.log, e)
	s.next[e.Origin] = e.Seq
	s.byOrigin[e.Origin] = append(s.byOrigin[e.Origin], e)
}

// persist writes log entries not yet written; the caller decides when to sync.
func (s *Server) persist(ctx *sim.Context) {
	for i := s.synced; i < len(s.log); i++ {
		ctx.Storage().Put(logKey(i), encodeEntry(s.log[i]))
	}
}

// logKey names log position i so that keys sort in log order.
func logKey(i int) string {
	b := []byte("log/00000000")
	for k := len(b) - 1; i > 0 && k >= 4; k-- {
		b[k] = byte('0' + i%10)
		i /= 10
	}
	return string(b)
}

// encodeEntry writes an entry as "origin seq text": compact, and recovery reads
// it back without a JSON decoder.
func encodeEntry(e Entry) []byte {
	b := strconv.AppendInt(nil, int64(e.Origin), 10)
	b = append(b, ' ')
	b = strconv.AppendInt(b, int64(e.Seq), 10)
	b = append(b, ' ')
	return append(b, e.Text...)
}

func decodeEntry(raw []byte) (Entry, bool) {
	parts := strings.SplitN(string(raw), " ", 3)
	if len(parts) != 3 {
		return Entry{}, false
	}
	origin, err1 := strconv.Atoi(parts[0])
	seq, err2 := strconv.Atoi(parts[1])
	return Entry{Origin: origin, Seq: seq, Text: parts[2]}, err1 == nil && err2 == nil
}

// repair sends a peer the entries it misses, by origin, a bounded batch at a time.
func (s *Server) repair(ctx *sim.Context, peer sim.NodeID, have []int) {
	p := slices.Index(s.servers, peer)
	var batch []Entry
	for o, mine := range s.byOrigin {
		if o >= len(have) || have[o] < 0 {
			continue
		}
		from := have[o]
		if s.bug == BugSentIsDelivered && p >= 0 && s.sent != nil {
			from = max(from, s.sent[p][o])
		}
		if from >= len(mine) {
			continue
		}
		room := catchUpEntriesMax - len(batch)
		batch = append(batch, mine[from:min(len(mine), from+room)]...)
	}
	if len(batch) > 0 {
		s.noteSent(p, batch)
		ctx.Send(peer, MsgBroadcast{Entries: batch})
	}
}

// noteSent records, under the sent-is-delivered bug, the entries sent to
// server index p (the correct server keeps no such record).
func (s *Server) noteSent(p int, entries []Entry) {
	if s.bug != BugSentIsDelivered || p < 0 {
		return
	}
	if s.sent == nil {
		s.sent = make([][]int, len(s.servers))
		for i := range s.sent {
			s.sent[i] = make([]int, len(s.servers))
		}
	}
	for _, e := range entries {
		s.sent[p][e.Origin] = max(s.sent[p][e.Origin], e.Seq)
	}
}

// Timer sends heartbeats and syncs what was learned from peers.
func (s *Server) Timer(ctx *sim.Context, name string) {
	assert.That(name == "heartbeat", "chat server: unknown timer %q", name)
	s.persist(ctx)
	ctx.Sync()
	s.synced = len(s.log)
	for i, peer := range s.servers {
		if i != s.self {
			ctx.Send(peer, MsgPing{Have: slices.Clone(s.next)})
		}
	}
	ctx.SetTimer("heartbeat", heartbeatInterval)
}

// Alive is the server's view of which servers are up: itself and every server
// heard from within the timeout.
func (s *Server) Alive(now sim.Time) []int {
	var alive []int
	for i, t := range s.heard {
		if i == s.self || now-t <= aliveTimeout {
			alive = append(alive, i)
		}
	}
	return alive
}

// Log returns the delivered messages in delivery order.
func (s *Server) Log() []Entry { return slices.Clone(s.log) }

// Describe renders the server's state on one line.
func (s *Server) Describe() string {
	var parts []string
	for o, n := range s.next {
		parts = append(parts, fmt.Sprintf("n%d:%d", o+1, n))
	}
	return fmt.Sprintf("log=%d have=[%s] held=%d", len(s.log), strings.Join(parts, " "), len(s.holdBack))
}
