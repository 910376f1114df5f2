package chat

import (
	"fmt"
	"strings"
)

// Entry is one chat message as delivered.
type Entry struct {
	Origin int    // index of the server the client submitted to
	Seq    int    // 1, 2, ... per origin
	Text   string // the message
}

func (e Entry) String() string { return fmt.Sprintf("n%d#%d %q", e.Origin+1, e.Seq, e.Text) }

// MsgSubmit is a client's message to a server.
type MsgSubmit struct {
	Client, ClientSeq int
	Text              string
}

// MsgAck acknowledges a submitted message once it is durable at its origin.
type MsgAck struct {
	ClientSeq int
	Entry     Entry
}

// MsgBroadcast carries entries from one server to another: a fresh message, or a
// catch-up batch for a peer that is behind.
type MsgBroadcast struct {
	Entries []Entry
}

// MsgPing is a heartbeat. Have[o] is how many of origin o's messages the sender
// has delivered.
type MsgPing struct {
	Have []int
}

// Describe implements sim.Describer.
func (m MsgSubmit) Describe() string {
	return fmt.Sprintf("MsgSubmit{c%d#%d %q}", m.Client+1, m.ClientSeq, m.Text)
}

// Describe implements sim.Describer.
func (m MsgAck) Describe() string { return fmt.Sprintf("MsgAck{#%d → %v}", m.ClientSeq, m.Entry) }

// Describe implements sim.Describer.
func (m MsgBroadcast) Describe() string {
	parts := make([]string, len(m.Entries))
	for i, e := range m.Entries {
		parts[i] = e.String()
	}
	return "MsgBroadcast{" + strings.Join(parts, ", ") + "}"
}

// Describe implements sim.Describer.
func (m MsgPing) Describe() string { return fmt.Sprintf("MsgPing{have %v}", m.Have) }
