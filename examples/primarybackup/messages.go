package primarybackup

import "fmt"

// Client requests and replies. Req numbers a client's requests, so that a late
// reply to an abandoned request is ignored.
type (
	MsgPut struct {
		Req        int
		Key, Value string
	}
	MsgGet struct {
		Req int
		Key string
	}
	MsgReply struct {
		Req   int
		Wrote bool   // the reply to a put
		Value string // for a get; "" with Found false when the key is absent
		Found bool
	}
)

// Replication. Seq numbers the primary's writes from 1; a backup applies them in
// order and acknowledges cumulatively.
type (
	MsgReplicate struct {
		Seq        int
		Key, Value string
	}
	MsgAck struct{ Upto int }
)

func (m MsgPut) Describe() string { return fmt.Sprintf("Put#%d %s=%s", m.Req, m.Key, m.Value) }
func (m MsgGet) Describe() string { return fmt.Sprintf("Get#%d %s", m.Req, m.Key) }
func (m MsgReply) Describe() string {
	return fmt.Sprintf("Reply#%d %s", m.Req, found(m.Value, m.Found))
}
func (m MsgReplicate) Describe() string {
	return fmt.Sprintf("Replicate %d %s=%s", m.Seq, m.Key, m.Value)
}
func (m MsgAck) Describe() string { return fmt.Sprintf("Ack upto %d", m.Upto) }

func found(value string, ok bool) string {
	if !ok {
		return "(absent)"
	}
	return fmt.Sprintf("%q", value)
}
