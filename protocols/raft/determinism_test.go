package raft_test

import (
	"bytes"
	"testing"

	"github.com/orrery-sim/orrery/harness"
)

// TestDeterminism runs the same seeds twice, with a trace writer, and requires
// byte-identical trace files and equal trace hashes.
func TestDeterminism(t *testing.T) {
	for _, cfg := range []harness.Config{
		{Protocol: "raft", Seed: 42, Faults: "swarm"},
		{Protocol: "raft", Seed: 7, Faults: "default"},
		{Protocol: "raft-prevote", Seed: 3, Faults: "swarm"},
		{Protocol: "raft", Seed: 50, Faults: "swarm", Bug: "stale-read"},
		{Protocol: "raft", Seed: 4, Faults: "swarm", Params: map[string]string{"spares": "2"}}, // 21 reconfigurations
	} {
		var traces [2]bytes.Buffer
		var hashes [2]string
		for i := range traces {
			out, err := harness.Run(cfg, harness.RunOptions{Trace: &traces[i]})
			if err != nil {
				t.Fatal(err)
			}
			hashes[i] = out.Result.HashString()
		}
		if traces[0].Len() == 0 || !bytes.Equal(traces[0].Bytes(), traces[1].Bytes()) {
			t.Errorf("%+v: traces differ (%d vs %d bytes)", cfg, traces[0].Len(), traces[1].Len())
		}
		if hashes[0] != hashes[1] {
			t.Errorf("%+v: trace hashes differ: %s vs %s", cfg, hashes[0], hashes[1])
		}
	}
}
