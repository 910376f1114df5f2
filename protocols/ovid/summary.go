package ovid

import "strconv"

// Summary implements sim.Summarizer: the store's contents.
func (s *KVServer) Summary() string { return "kv " + s.Describe() }

// Summary implements sim.Summarizer: the request in flight and the lines queued.
func (c *KVClient) Summary() string { return "client " + c.Describe() }

// Summary implements sim.Summarizer: how much was delivered (Describe lists it).
func (s *ChatServer) Summary() string { return "chat delivered=" + strconv.Itoa(len(s.log)) }

// Summary implements sim.Summarizer: messages said.
func (c *ChatClient) Summary() string { return "client " + c.Describe() }

// Summary implements sim.Summarizer: the place in the script.
func (t *TTY) Summary() string { return "tty " + t.Describe() }
