package main

import (
	"context"
	"fmt"
	"io"
	"runtime"

	"github.com/orrery-sim/orrery/explore"
	"github.com/orrery-sim/orrery/explore/actors"
	"github.com/orrery-sim/orrery/protocols"
	_ "github.com/orrery-sim/orrery/protocols/abd"
	_ "github.com/orrery-sim/orrery/protocols/chat"
	_ "github.com/orrery-sim/orrery/protocols/paxos"
	_ "github.com/orrery-sim/orrery/protocols/raft"
	_ "github.com/orrery-sim/orrery/protocols/twopc"
)

// protocolRow is one exploration of a protocol's own agents with its default
// bounds, run with and without partial-order reduction.
type protocolRow struct {
	protocol string
	nodes    int
	network  actors.Network
	crashes  int
	bounds   string
}

var protocolRows = []protocolRow{
	{"raft", 3, actors.Unordered, 0, "terms 3, logs 2, 3 writes, 4 in flight, depth 18"},
	{"raft", 3, actors.FIFO, 0, "as above"},
	{"raft", 3, actors.Unordered, 1, "as above, 1 crash"},
	{"twopc", 2, actors.Unordered, 1, "1 transaction, 4 in flight, 1 crash"},
	{"twopc", 3, actors.Unordered, 0, "1 transaction, 4 in flight"},
	{"abd", 3, actors.Unordered, 0, "2 clients, 1 write and 2 reads, 8 in flight, depth 17"},
	{"chat", 3, actors.Unordered, 0, "2 messages, 4 in flight, depth 12"},
	{"paxos", 3, actors.Unordered, 0, "2 writes, ballot rounds 2, 4 in flight, depth 16"},
	{"paxos", 2, actors.Unordered, 0, "2 writes, ballot rounds 2, 4 in flight"},
}

// benchProtocols prints the README's table of protocol explorations: one
// Markdown row per configuration.
func benchProtocols(stdout, stderr io.Writer, workers int) int {
	fmt.Fprintln(stdout, "| protocol | network | bounds | states | generated (full → POR) | states/s (full → POR) | heap bytes/state |")
	fmt.Fprintln(stdout, "| --- | --- | --- | ---: | ---: | ---: | ---: |")
	for _, row := range protocolRows {
		var results [2]explore.Result
		for i, reduce := range []bool{false, true} {
			// The peak heap is the process's: collect what earlier searches
			// left, so that it measures this one.
			runtime.GC()
			r, err := exploreProtocol(row, workers, reduce)
			if err != nil {
				fmt.Fprintf(stderr, "explore-bench: %s: %v\n", row.protocol, err)
				return 2
			}
			results[i] = r
		}
		if results[0].States != results[1].States || results[0].Status != results[1].Status {
			fmt.Fprintf(stderr, "explore-bench: %s: reduction changed the result: %d %s vs %d %s\n", row.protocol,
				results[0].States, results[0].Status, results[1].States, results[1].Status)
			return 1
		}
		full, por := results[0], results[1]
		fmt.Fprintf(stdout, "| %s %d nodes | %s | %s | %d | %d → %d | %.0f → %.0f | %.0f → %.0f |\n",
			row.protocol, row.nodes, row.network, row.bounds, full.States, full.Generated, por.Generated,
			full.StatesPerSec, por.StatesPerSec, full.HeapBytesPerState, por.HeapBytesPerState)
	}
	return 0
}

func exploreProtocol(row protocolRow, workers int, reduce bool) (explore.Result, error) {
	p, err := protocols.Lookup(row.protocol)
	if err != nil {
		return explore.Result{}, err
	}
	cfg, err := actors.FromProtocol(p, protocols.Options{Nodes: row.nodes}, row.network, row.crashes)
	if err != nil {
		return explore.Result{}, err
	}
	cfg.TimeMax = 0 // the table's rows are measured with the clock off
	m, err := actors.New(cfg)
	if err != nil {
		return explore.Result{}, err
	}
	return explore.Check(context.Background(), m, explore.Options{Workers: workers, DepthMax: m.DepthMax(), Reduce: reduce})
}
