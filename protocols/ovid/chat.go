package ovid

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/orrery-sim/orrery/internal/assert"
	"github.com/orrery-sim/orrery/protocols/ovid/cluster"
	"github.com/orrery-sim/orrery/sim"
)

// Timing and limits of the routed chat server.
const (
	chatHeartbeat       = 100 * sim.Millisecond
	chatCatchUpMax      = 64      // entries per repair message
	chatHoldBackMax     = 1 << 16 // early arrivals held
	chatSubmitMin       = 100 * sim.Millisecond
	chatSubmitMax       = 500 * sim.Millisecond
	chatMessagesDefault = 20 // workload messages per chat client
	portPeer            = "peer"
)

// ChatEntry is one chat message as delivered: its origin server and its number
// among that origin's messages.
type ChatEntry struct {
	Origin string
	Seq    int
	Text   string
}

func (e ChatEntry) String() string { return fmt.Sprintf("%s#%d %q", e.Origin, e.Seq, e.Text) }

// MsgSay is a message for the room, from a client or a tty.
type MsgSay struct{ Text string }

// MsgChatAck acknowledges a MsgSay once it is durable at its origin.
type MsgChatAck struct{ Entry ChatEntry }

// MsgChatBroadcast carries entries between servers: fresh ones or a repair.
type MsgChatBroadcast struct{ Entries []ChatEntry }

// MsgChatPing is a heartbeat: how many of each origin's entries the sender has,
// sorted by origin.
type MsgChatPing struct{ Have []OriginCount }

// OriginCount is how many of an origin's entries a server delivered.
type OriginCount struct {
	Origin string
	Count  int
}

// ChatServer is the Chatroom server on routes: it multicasts what its clients say
// to its "peers", delivers each origin's messages in order exactly once, and
// pings its peers so that a peer that missed something is repaired.
type ChatServer struct {
	agent    *cluster.Agent
	router   *cluster.Router
	log      []ChatEntry
	byOrigin map[string][]ChatEntry
	holdBack map[string]map[int]ChatEntry
	synced   int
}

func newChatServer(a *cluster.Agent, r *cluster.Router) sim.Agent {
	return &ChatServer{agent: a, router: r}
}

// Start recovers the delivered log.
func (s *ChatServer) Start(ctx *sim.Context) {
	s.log, s.byOrigin, s.holdBack = nil, map[string][]ChatEntry{}, map[string]map[int]ChatEntry{}
	for _, key := range ctx.Storage().Keys("log/") {
		raw, _ := ctx.Storage().Get(key)
		var e ChatEntry
		assert.That(json.Unmarshal(raw, &e) == nil, "chat-server: corrupt entry %s", key)
		s.deliver(e)
	}
	s.synced = len(s.log)
	ctx.SetTimer("heartbeat", chatHeartbeat)
}

// Receive handles what clients say, broadcasts and pings.
func (s *ChatServer) Receive(ctx *sim.Context, from sim.NodeID, msg sim.Message) {
	env, ok := msg.(cluster.Envelope)
	assert.That(ok, "chat-server: unexpected %T", msg)
	switch m := env.Msg.(type) {
	case MsgSay:
		cluster.Reply(ctx, from, portReply, MsgChatAck{Entry: s.say(ctx, m.Text)})
	case Line: // a tty types into the room directly; it takes no answer
		text, _ := strings.CutPrefix(m.Text, "say ")
		s.say(ctx, text)
	case MsgChatBroadcast:
		for _, e := range m.Entries {
			s.receive(e)
		}
	case MsgChatPing:
		s.repair(ctx, from, m.Have)
	default:
		assert.Fail("chat-server: unexpected %T", env.Msg)
	}
}

// say makes text the next entry of this origin, durable before anyone hears of it.
func (s *ChatServer) say(ctx *sim.Context, text string) ChatEntry {
	e := ChatEntry{Origin: s.agent.ID, Seq: len(s.byOrigin[s.agent.ID]) + 1, Text: text}
	s.deliver(e)
	s.persist(ctx)
	if s.router.Has("peers") {
		s.router.Send(ctx, "peers", MsgChatBroadcast{Entries: []ChatEntry{e}})
	}
	return e
}

// receive delivers an entry that is next from its origin (and what it
// releases), holds back an early one and ignores a duplicate.
func (s *ChatServer) receive(e ChatEntry) {
	have := len(s.byOrigin[e.Origin])
	switch {
	case e.Seq <= have:
		return
	case e.Seq > have+1:
		if s.holdBack[e.Origin] == nil {
			s.holdBack[e.Origin] = map[int]ChatEntry{}
		}
		assert.That(len(s.holdBack[e.Origin]) < chatHoldBackMax, "chat-server: hold-back over %d", chatHoldBackMax)
		s.holdBack[e.Origin][e.Seq] = e
		return
	}
	s.deliver(e)
	for {
		next, ok := s.holdBack[e.Origin][len(s.byOrigin[e.Origin])+1]
		if !ok {
			return
		}
		delete(s.holdBack[e.Origin], next.Seq)
		s.deliver(next)
	}
}

func (s *ChatServer) deliver(e ChatEntry) {
	s.log = append(s.log, e)
	s.byOrigin[e.Origin] = append(s.byOrigin[e.Origin], e)
}

func (s *ChatServer) persist(ctx *sim.Context) {
	for i := s.synced; i < len(s.log); i++ {
		raw, _ := json.Marshal(s.log[i])
		ctx.Storage().Put(fmt.Sprintf("log/%08d", i), raw)
	}
	ctx.Sync()
	s.synced = len(s.log)
}

func (s *ChatServer) have() []OriginCount {
	var have []OriginCount
	for o, entries := range s.byOrigin { // lint:ordered sorted below
		have = append(have, OriginCount{Origin: o, Count: len(entries)})
	}
	slices.SortFunc(have, func(a, b OriginCount) int { return strings.Compare(a.Origin, b.Origin) })
	return have
}

// repair sends a peer what it misses of every origin, a bounded batch.
func (s *ChatServer) repair(ctx *sim.Context, peer sim.NodeID, theirs []OriginCount) {
	var batch []ChatEntry
	for _, mine := range s.have() {
		n := 0
		if i := slices.IndexFunc(theirs, func(c OriginCount) bool { return c.Origin == mine.Origin }); i >= 0 {
			n = theirs[i].Count
		}
		entries := s.byOrigin[mine.Origin]
		if n < len(entries) && len(batch) < chatCatchUpMax {
			batch = append(batch, entries[n:min(len(entries), n+chatCatchUpMax-len(batch))]...)
		}
	}
	if len(batch) > 0 {
		cluster.Reply(ctx, peer, portPeer, MsgChatBroadcast{Entries: batch})
	}
}

// Timer syncs what peers sent and pings the peers.
func (s *ChatServer) Timer(ctx *sim.Context, name string) {
	assert.That(name == "heartbeat", "chat-server: unknown timer %q", name)
	s.persist(ctx)
	if s.router.Has("peers") {
		s.router.Send(ctx, "peers", MsgChatPing{Have: s.have()})
	}
	ctx.SetTimer("heartbeat", chatHeartbeat)
}

// Log returns the delivered messages in delivery order.
func (s *ChatServer) Log() []ChatEntry { return slices.Clone(s.log) }

// Describe renders the server's delivered log.
func (s *ChatServer) Describe() string {
	parts := make([]string, len(s.log))
	for i, e := range s.log {
		parts[i] = e.String()
	}
	return fmt.Sprintf("%d delivered [%s]", len(s.log), strings.Join(parts, ", "))
}

type chatClientAttrs struct {
	Messages int `json:"messages"` // workload messages (default chatMessagesDefault)
}

// checkChatServerInput refuses a chat-server that could originate more
// entries than a peer holds back: its clients' messages and the tty lines
// that reach it, directly or through a client. Held-back entries of one
// origin never outnumber its entries, so within the bound the hold-back
// never overflows, however the network reorders.
func checkChatServerInput(c *cluster.Cluster, a *cluster.Agent) error {
	reaches := map[string]bool{a.ID: true} // the server and its clients
	entries := 0
	for _, client := range c.OfType("chat-client") {
		if t := client.Routes["server"]; len(t) == 1 && t[0].Agent == a.ID {
			reaches[client.ID] = true
			entries += client.Attrs.(chatClientAttrs).Messages
		}
	}
	for _, tty := range c.OfType("tty") {
		for _, t := range tty.Routes["out"] {
			if reaches[t.Agent] {
				entries += len(tty.Attrs.(ttyAttrs).Script)
			}
		}
	}
	if entries >= chatHoldBackMax {
		return cluster.Errorf("", "its clients and ttys can make %s originate %d entries, more than the %d a chat-server holds back",
			a.ID, entries, chatHoldBackMax-1)
	}
	return nil
}

func decodeChatClientAttrs(raw json.RawMessage) (any, error) {
	a := chatClientAttrs{Messages: chatMessagesDefault}
	if err := cluster.DecodeAttrs(raw, &a); err != nil {
		return nil, err
	}
	if a.Messages < 0 || a.Messages > 100_000 {
		return nil, cluster.Errorf(".messages", "want 0 to 100000 messages, got %d", a.Messages)
	}
	return a, nil
}

// ChatClient says numbered messages to its "server" at random intervals, and
// passes on "say TEXT" lines from a tty.
type ChatClient struct {
	agent  *cluster.Agent
	router *cluster.Router
	attrs  chatClientAttrs
	sent   int
}

func newChatClient(a *cluster.Agent, r *cluster.Router) sim.Agent {
	return &ChatClient{agent: a, router: r, attrs: a.Attrs.(chatClientAttrs)}
}

// Start arms the workload.
func (c *ChatClient) Start(ctx *sim.Context) {
	ctx.SetTimer("say", ctx.RandTime(chatSubmitMin, chatSubmitMax))
}

// Receive passes on tty lines and ignores acknowledgements.
func (c *ChatClient) Receive(ctx *sim.Context, _ sim.NodeID, msg sim.Message) {
	env, ok := msg.(cluster.Envelope)
	assert.That(ok, "chat-client: unexpected %T", msg)
	switch m := env.Msg.(type) {
	case Line:
		text, ok := strings.CutPrefix(m.Text, "say ")
		if !ok {
			ctx.Logf("ignored: want \"say TEXT\", got %q", m.Text)
			return
		}
		c.router.Send(ctx, "server", MsgSay{Text: text})
	case MsgChatAck:
	default:
		assert.Fail("chat-client: unexpected %T", env.Msg)
	}
}

// Timer says the next workload message.
func (c *ChatClient) Timer(ctx *sim.Context, name string) {
	if c.sent >= c.attrs.Messages || ctx.Phase() == sim.PhaseLiveness {
		return
	}
	c.sent++
	c.router.Send(ctx, "server", MsgSay{Text: fmt.Sprintf("%s-%d", c.agent.ID, c.sent)})
	ctx.SetTimer("say", ctx.RandTime(chatSubmitMin, chatSubmitMax))
}

// Describe renders how far the client got.
func (c *ChatClient) Describe() string { return fmt.Sprintf("said %d", c.sent) }
