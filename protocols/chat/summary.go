package chat

import "strconv"

// Summary implements sim.Summarizer: the delivered log's length, the next
// sequence number expected from each origin, and the held-back entries.
func (s *Server) Summary() string { return "server " + s.Describe() }

// Summary implements sim.Summarizer: messages submitted and still unacknowledged.
func (c *Client) Summary() string {
	return "client sent=" + strconv.Itoa(c.seq) + " pending=" + strconv.Itoa(len(c.pending))
}
