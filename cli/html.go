package cli

import (
	"bufio"
	"io"
	"os"
	"path/filepath"

	"github.com/orrery-sim/orrery/traces"
	"github.com/orrery-sim/orrery/viz"
)

// renderOutputs writes the -html, -perfetto and -mermaid views of a trace, if asked.
// (In -history mode -html is the linearizability checker's own page.)
func renderOutputs(o *options, t *traces.Trace) error {
	if o.history.HTML != "" {
		if err := writeView(o.history.HTML, "-html", func(w io.Writer) error { return viz.WriteHTML(w, t, viz.Options{}) }); err != nil {
			return err
		}
	}
	if o.perfetto != "" {
		if err := writeView(o.perfetto, "-perfetto", func(w io.Writer) error { return viz.WritePerfetto(w, t) }); err != nil {
			return err
		}
	}
	if o.mermaid != "" {
		return writeView(o.mermaid, "-mermaid", func(w io.Writer) error { return viz.WriteMermaid(w, t) })
	}
	return nil
}

func writeView(path, flag string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return usagef("%s: %v", flag, err)
	}
	w := bufio.NewWriter(f)
	err = write(w)
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return usagef("%s: %s: %v", flag, path, err)
	}
	return nil
}

// renderRun runs one seed (as single does, with its output) and renders the
// trace of the run.
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
