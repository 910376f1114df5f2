package main

import (
	"io"
	"os"
	"path/filepath"

	"github.com/orrery-sim/orrery/traces"
)

// renderOutputs writes the -html and -perfetto views of a trace, if asked.
func renderOutputs(o *options, t *traces.Trace) error {
	return nil
}

// renderRun runs one seed (as single does) and renders its trace.
func renderRun(o *options, stdout, stderr io.Writer) (int, error) {
	if o.trace == "" {
		dir, err := os.MkdirTemp("", "simrun-view-")
		if err != nil {
			return 0, err
		}
		defer os.RemoveAll(dir)
		o.trace = filepath.Join(dir, "trace.jsonl")
	}
	code, err := single(o, stdout, stderr)
	if err != nil {
		return code, err
	}
	t, err := traces.ReadFile(o.trace)
	if err != nil {
		return 0, err
	}
	return code, renderOutputs(o, t)
}
