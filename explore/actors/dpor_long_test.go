//go:build long

package actors_test

import (
	"context"
	"fmt"

	"testing"
	"time"

	"github.com/orrery-sim/orrery/explore"
	"github.com/orrery-sim/orrery/explore/actors"
	"github.com/orrery-sim/orrery/protocols"
	_ "github.com/orrery-sim/orrery/protocols/abd"
	_ "github.com/orrery-sim/orrery/protocols/chat"
	_ "github.com/orrery-sim/orrery/protocols/paxos"
	"github.com/orrery-sim/orrery/protocols/twopc"
)

// interleavings counts the executions of m within depth (states, the
// initial one counted) that run to their end, as float64: one per path of
// the state graph, memoised by state and remaining depth.
func interleavings(m *actors.Model, depth int) float64 {
	type key struct {
		fp   uint64
		left int
	}
	memo := map[key]float64{}
	var count func(s actors.State, left int) float64
	count = func(s actors.State, left int) float64 {
		k := key{m.Fingerprint(s), left}
		if n, ok := memo[k]; ok {
			return n
		}
		var actions []actors.Action
		if left > 1 && m.WithinBounds(s) {
			actions = m.Actions(s, nil)
		}
		n := 0.0
		if len(actions) == 0 {
			n = 1
		}
		for _, a := range actions {
			next, _ := m.NextState(s, a)
			n += count(next, left-1)
		}
		memo[k] = n
		return n
	}
	return count(m.InitStates()[0], depth)
}

// twopcAllWrite is twopc with a transaction that writes to every one of its
// participants (the protocol's exploration writes to the first two) and the
// given bound on messages in flight, clock off.
func twopcAllWrite(participants, inFlightMax int) func(t *testing.T) *actors.Model {
	return func(t *testing.T) *actors.Model {
		p, err := protocols.Lookup("twopc")
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := actors.FromProtocol(p, protocols.Options{Nodes: participants}, actors.Unordered, 0)
		if err != nil {
			t.Fatal(err)
		}
		var writes []twopc.Write
		for i := 1; i <= participants; i++ {
			writes = append(writes, twopc.Write{Key: fmt.Sprintf("p%d.x", i), Value: fmt.Sprint(i)})
		}
		cfg.Requests, cfg.InFlightMax, cfg.TimeMax = []any{twopc.Txn{Writes: writes}}, inFlightMax, 0
		m, err := actors.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
}

// TestLongDPORTable prints the README's table of the stateless search: per
// configuration, the full search's states and successors, every
// interleaving, and what the stateless search ran, with both searches'
// times. Run with make test-long (or go test -tags long -run
// TestLongDPORTable -v ./explore/actors/).
func TestLongDPORTable(t *testing.T) {
	rows := []struct {
		name   string
		bounds string
		model  func(t *testing.T) *actors.Model
		depth  int
	}{
		{"twopc 3 nodes", "1 transaction, 4 in flight, clock off", protocolModel("twopc", 3, "", actors.Unordered, 0), 12},
		{"twopc 2 nodes", "as above, 1 crash", protocolModel("twopc", 2, "", actors.Unordered, 1), 10},
		{"twopc 4 nodes", "1 transaction writing to all four, 8 in flight, clock off", twopcAllWrite(4, 8), 12},
		{"paxos 3 nodes", "2 writes, ballot rounds 2, 4 in flight", protocolModel("paxos", 3, "", actors.Unordered, 0), 12},
		{"raft 3 nodes", "terms 3, logs 2, 3 writes, 4 in flight", protocolModel("raft", 3, "", actors.Unordered, 0), 12},
		{"abd 3 nodes", "2 clients, 1 write and 2 reads, 6 in flight", protocolModel("abd", 3, "", actors.Unordered, 0), 11},
		{"chat 3 nodes", "2 messages, 4 in flight", protocolModel("chat", 3, "", actors.Unordered, 0), 9},
	}
	t.Log("| protocol | bounds | depth | states (full) | successors (full) | interleavings | executions (DPOR) | sleep-blocked | events | cut states | full | DPOR | peak MiB |")
	t.Log("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
	for _, row := range rows {
		m := row.model(t)
		start := time.Now()
		full, err := explore.Check(context.Background(), m, explore.Options{Workers: 1, DepthMax: row.depth})
		if err != nil {
			t.Fatal(err)
		}
		fullTime := time.Since(start)
		start = time.Now()
		r, err := m.DPOR(context.Background(), actors.DPOROptions{DepthMax: row.depth})
		if err != nil {
			t.Fatal(err)
		}
		dporTime := time.Since(start)
		if r.Status != full.Status {
			t.Errorf("%s: dpor %s, full %s", row.name, r.Status, full.Status)
		}
		paths := interleavings(m, row.depth)
		t.Logf("| %s | %s | %d | %d | %d | %.4g | %d | %d | %d | %d | %.2f s | %.2f s | %d → %d |", row.name, row.bounds, row.depth,
			full.States, full.Generated, paths, r.Executions, r.Blocked, r.Events, r.Cuts, fullTime.Seconds(), dporTime.Seconds(),
			full.PeakHeapBytes>>20, r.PeakHeapBytes>>20)
	}
}
