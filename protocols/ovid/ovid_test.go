package ovid

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/orrery-sim/orrery/protocols"
)

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

func TestDefaultIsKVSExample(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "..", "examples", "kvs.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(raw, DefaultCluster) {
		t.Fatal("default.json and examples/kvs.json differ: keep them equal")
	}
}

func TestRegistered(t *testing.T) {
	if _, err := protocols.Lookup("ovid"); err != nil {
		t.Fatal(err)
	}
}
