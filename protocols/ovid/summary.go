package ovid

import "strconv"

// Summary implements sim.Summarizer: the log's length, the keys stored and
// the mirrored primaries (Describe lists the data).
func (s *KVServer) Summary() string {
	out := "kv log=" + strconv.Itoa(len(s.log)) + " keys=" + strconv.Itoa(len(s.data))
	if o := s.origins(); len(o) > 0 {
		out += " mirrors=" + strconv.Itoa(len(o))
	}
	return out
}

// Summary implements sim.Summarizer: the request in flight and the lines queued.
func (c *KVClient) Summary() string {
	queued := " queued=" + strconv.Itoa(len(c.lines))
	if !c.busy {
		return "idle ops=" + strconv.FormatUint(c.n, 10) + queued
	}
	return "waiting #" + strconv.FormatUint(c.n, 10) + " " + c.op.Describe() + queued
}

// Summary implements sim.Summarizer: how much was delivered (Describe lists it).
func (s *ChatServer) Summary() string { return "chat delivered=" + strconv.Itoa(len(s.log)) }

// Summary implements sim.Summarizer: messages said.
func (c *ChatClient) Summary() string { return "client said=" + strconv.Itoa(c.sent) }

// Summary implements sim.Summarizer: the place in the script.
func (t *TTY) Summary() string {
	return "tty line=" + strconv.Itoa(t.next) + "/" + strconv.Itoa(len(t.script))
}
