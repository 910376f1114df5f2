package ovid

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/orrery-sim/orrery/harness"
	"github.com/orrery-sim/orrery/protocols"
)

func runCluster(t *testing.T, text []byte, seed uint64, trace *bytes.Buffer) *harness.Outcome {
	t.Helper()
	cfg := harness.Config{Protocol: "ovid", Seed: seed, Faults: "swarm"}
	if text != nil {
		cfg.Params = map[string]string{ParamCluster: string(text)}
	}
	o := harness.RunOptions{}
	if trace != nil {
		o.Trace = trace
	}
	out, err := harness.Run(cfg, o)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func examples(t *testing.T) map[string][]byte {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("..", "..", "examples", "*.json"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no examples: %v", err)
	}
	files := map[string][]byte{}
	for _, p := range paths {
		if filepath.Base(p) == "bad.json" {
			continue
		}
		raw, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		files[filepath.Base(p)] = raw
	}
	return files
}

// examplesSeeds is how many seeds each example runs clean in the tests.
const examplesSeeds = 30

func TestExamplesClean(t *testing.T) {
	for name, text := range examples(t) { // lint:ordered independent subtests
		t.Run(name, func(t *testing.T) {
			for seed := uint64(1); seed <= examplesSeeds; seed++ {
				out := runCluster(t, text, seed, nil)
				if r := out.Result; r.Failed() {
					t.Fatalf("seed %d: %s: %s", seed, r.Property, r.Reason)
				}
			}
		})
	}
}

func TestDefaultIsKVSExample(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "..", "examples", "kvs.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(raw, DefaultCluster) {
		t.Fatal("default.json and examples/kvs.json differ: keep them equal")
	}
}

func TestDeterminism(t *testing.T) {
	for name, text := range examples(t) { // lint:ordered independent subtests
		var a, b bytes.Buffer
		ra, rb := runCluster(t, text, 3, &a), runCluster(t, text, 3, &b)
		if !bytes.Equal(a.Bytes(), b.Bytes()) || ra.Result.Hash != rb.Result.Hash {
			t.Fatalf("%s: two runs differ", name)
		}
	}
}

func TestRegistered(t *testing.T) {
	if _, err := protocols.Lookup("ovid"); err != nil {
		t.Fatal(err)
	}
}
