package ovid

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/orrery-sim/orrery/internal/assert"
	"github.com/orrery-sim/orrery/protocols/ovid/cluster"
	"github.com/orrery-sim/orrery/sim"
)

// KVOp is a key-value operation, as clients send it and histories record it.
type KVOp struct {
	Kind  string // get, put, append, delete
	Key   string
	Value string
}

// Describe implements sim.Describer.
func (o KVOp) Describe() string {
	if o.Kind == "get" || o.Kind == "delete" {
		return o.Kind + " " + o.Key
	}
	return fmt.Sprintf("%s %s %q", o.Kind, o.Key, o.Value)
}

// ParseKVLine reads a line a tty sends a kv-client: "get K", "delete K",
// "put K V" or "append K V" (V may contain spaces).
func ParseKVLine(line string) (KVOp, error) {
	f := strings.Fields(line)
	switch {
	case len(f) == 2 && (f[0] == "get" || f[0] == "delete"):
		return KVOp{Kind: f[0], Key: f[1]}, nil
	case len(f) >= 3 && (f[0] == "put" || f[0] == "append"):
		return KVOp{Kind: f[0], Key: f[1], Value: strings.Join(f[2:], " ")}, nil
	}
	return KVOp{}, fmt.Errorf("bad kv command %q (want get K, delete K, put K V, append K V)", line)
}

// MsgKVRequest is a client's operation. Seq orders a client's operations; a
// retry repeats the Seq and is answered from the session table, never applied
// twice.
type MsgKVRequest struct {
	Seq uint64
	Op  KVOp
}

// MsgKVReply answers a request.
type MsgKVReply struct {
	Seq   uint64
	Value string // get: the value ("" when absent)
}

// LogEntry is one record of a server's append-only log: an update and the
// client session it came from.
type LogEntry struct {
	Client sim.NodeID
	Seq    uint64
	Op     KVOp
}

// MsgReplicate carries log entries from a primary to a backup, from index From.
type MsgReplicate struct {
	From    int
	Entries []LogEntry
}

// MsgMirrorAck tells a primary how many of its entries a backup holds durably.
type MsgMirrorAck struct{ Have int }

// Ports and timing of the key-value server.
const (
	portClient          = "client"
	portRepl            = "repl"
	portReplAck         = "repl-ack"
	portReply           = "reply"
	replicateInterval   = 200 * sim.Millisecond
	replicateEntriesMax = 32
)

type session struct {
	seq    uint64
	result string
}

// KVServer is the Ovid key-value server: every update is appended to a durable
// log before it is acknowledged, and a restart replays the log. With a "backups"
// route it mirrors its log to each backup (multicast), resending what a backup
// has not acknowledged; as a backup it keeps a mirror of each primary's log.
type KVServer struct {
	agent    *cluster.Agent
	router   *cluster.Router
	data     map[string]string
	log      []LogEntry
	sessions map[sim.NodeID]session
	acked    []int // per backup hop: entries it holds
	mirrors  map[sim.NodeID][]LogEntry
}

func newKVServer(a *cluster.Agent, r *cluster.Router) sim.Agent {
	return &KVServer{agent: a, router: r}
}

// Start replays the log and the mirrors.
func (s *KVServer) Start(ctx *sim.Context) {
	s.data, s.log, s.sessions = map[string]string{}, nil, map[sim.NodeID]session{}
	s.mirrors = map[sim.NodeID][]LogEntry{}
	s.acked = make([]int, len(s.router.Targets("backups")))
	for _, key := range ctx.Storage().Keys("log/") {
		s.apply(readEntry(ctx, key))
	}
	for _, key := range ctx.Storage().Keys("mirror/") {
		var origin sim.NodeID
		_, err := fmt.Sscanf(key, "mirror/%d/", &origin)
		assert.That(err == nil, "kv-server: bad mirror key %q", key)
		s.mirrors[origin] = append(s.mirrors[origin], readEntry(ctx, key))
	}
	if len(s.acked) > 0 {
		ctx.SetTimer("replicate", replicateInterval)
	}
}

func readEntry(ctx *sim.Context, key string) LogEntry {
	raw, _ := ctx.Storage().Get(key)
	var e LogEntry
	assert.That(json.Unmarshal(raw, &e) == nil, "kv-server: corrupt log entry %s", key)
	return e
}

// apply runs an update against the state and records its session.
func (s *KVServer) apply(e LogEntry) {
	switch e.Op.Kind {
	case "put":
		s.data[e.Op.Key] = e.Op.Value
	case "append":
		s.data[e.Op.Key] += e.Op.Value
	case "delete":
		delete(s.data, e.Op.Key)
	}
	s.log = append(s.log, e)
	s.sessions[e.Client] = session{seq: e.Seq}
}

// Receive serves clients, mirrors primaries and takes backups' acknowledgements.
func (s *KVServer) Receive(ctx *sim.Context, from sim.NodeID, msg sim.Message) {
	env, ok := msg.(cluster.Envelope)
	assert.That(ok, "kv-server: unexpected %T", msg)
	switch m := env.Msg.(type) {
	case MsgKVRequest:
		s.serve(ctx, from, m)
	case MsgReplicate:
		s.mirror(ctx, from, m)
	case MsgMirrorAck:
		for i, h := range s.router.Targets("backups") {
			if h.To == from {
				s.acked[i] = max(s.acked[i], min(m.Have, len(s.log)))
			}
		}
	default:
		assert.Fail("kv-server: unexpected %T on port %s", env.Msg, env.Port)
	}
}

func (s *KVServer) serve(ctx *sim.Context, from sim.NodeID, m MsgKVRequest) {
	last, known := s.sessions[from]
	switch {
	case known && m.Seq < last.seq:
		return // a stale retry: the client has moved on
	case known && m.Seq == last.seq && m.Op.Kind != "get":
		cluster.Reply(ctx, from, portReply, MsgKVReply{Seq: m.Seq, Value: last.result})
		return
	}
	if m.Op.Kind == "get" {
		cluster.Reply(ctx, from, portReply, MsgKVReply{Seq: m.Seq, Value: s.data[m.Op.Key]})
		return
	}
	e := LogEntry{Client: from, Seq: m.Seq, Op: m.Op}
	raw, _ := json.Marshal(e)
	ctx.Storage().Put(fmt.Sprintf("log/%08d", len(s.log)), raw)
	if s.agent.Bug != BugAckBeforeSync {
		ctx.Sync() // durable before the reply and the mirrors see it
	}
	s.apply(e)
	cluster.Reply(ctx, from, portReply, MsgKVReply{Seq: m.Seq})
	if s.router.Has("backups") {
		s.router.Send(ctx, "backups", MsgReplicate{From: len(s.log) - 1, Entries: []LogEntry{e}})
	}
}

// mirror appends what continues a primary's mirror, durably, and acknowledges
// how much it holds; entries out of order wait for the primary's resend.
func (s *KVServer) mirror(ctx *sim.Context, from sim.NodeID, m MsgReplicate) {
	have := s.mirrors[from]
	if m.From <= len(have) && m.From+len(m.Entries) > len(have) {
		for _, e := range m.Entries[len(have)-m.From:] {
			raw, _ := json.Marshal(e)
			ctx.Storage().Put(fmt.Sprintf("mirror/%d/%08d", from, len(have)), raw)
			have = append(have, e)
		}
		ctx.Sync()
		s.mirrors[from] = have
	}
	cluster.Reply(ctx, from, portReplAck, MsgMirrorAck{Have: len(have)})
}

// Timer resends to each backup what it has not acknowledged.
func (s *KVServer) Timer(ctx *sim.Context, name string) {
	assert.That(name == "replicate", "kv-server: unknown timer %q", name)
	for i, h := range s.router.Targets("backups") {
		if s.acked[i] < len(s.log) {
			end := min(len(s.log), s.acked[i]+replicateEntriesMax)
			ctx.Send(h.To, cluster.Envelope{Port: h.Port, Msg: MsgReplicate{From: s.acked[i], Entries: slices.Clone(s.log[s.acked[i]:end])}})
		}
	}
	ctx.SetTimer("replicate", replicateInterval)
}

// Log returns the server's log.
func (s *KVServer) Log() []LogEntry { return slices.Clone(s.log) }

// Mirror returns the server's mirror of a primary's log.
func (s *KVServer) Mirror(origin sim.NodeID) []LogEntry { return slices.Clone(s.mirrors[origin]) }

// Describe renders the server's state.
func (s *KVServer) Describe() string {
	keys := make([]string, 0, len(s.data))
	for k := range s.data { // lint:ordered sorted below
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s=%q", k, s.data[k])
	}
	out := fmt.Sprintf("log %d {%s}", len(s.log), strings.Join(parts, " "))
	for _, o := range s.origins() {
		out += fmt.Sprintf(" mirror[%d] %d", o, len(s.mirrors[o]))
	}
	return out
}

// origins lists the primaries this server mirrors, sorted.
func (s *KVServer) origins() []sim.NodeID {
	origins := make([]sim.NodeID, 0, len(s.mirrors))
	for o := range s.mirrors { // lint:ordered sorted below
		origins = append(origins, o)
	}
	slices.Sort(origins)
	return origins
}

// Describe implements sim.Describer.
func (m MsgKVRequest) Describe() string {
	return fmt.Sprintf("KVRequest{#%d %s}", m.Seq, m.Op.Describe())
}

// Describe implements sim.Describer.
func (m MsgKVReply) Describe() string { return fmt.Sprintf("KVReply{#%d %q}", m.Seq, m.Value) }

// Describe implements sim.Describer.
func (m MsgReplicate) Describe() string {
	return fmt.Sprintf("Replicate{from %d, %d entries}", m.From, len(m.Entries))
}
