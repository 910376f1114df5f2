package scenario

import (
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var rewrite = flag.Bool("rewrite", false, "rewrite the expected output of scenario files")

// rewriteEnv also asks for rewriting. "go test ./... -rewrite" fails in every
// test binary that does not define the flag; the environment reaches them all
// harmlessly: ORRERY_REWRITE=1 go test ./...
const rewriteEnv = "ORRERY_REWRITE"

func rewriting() bool { return *rewrite || os.Getenv(rewriteEnv) != "" }

// Run executes every case of a parsed file in a fresh environment and returns the
// file with each case's output as the commands printed it.
func Run(f *File, o Options) *File {
	e := NewEnv(o)
	got := &File{Header: f.Header}
	for _, c := range f.Cases {
		var outs []string
		for _, cmd := range c.Commands {
			out, err := e.Exec(cmd)
			if err != nil {
				out = "error: " + err.Error()
			}
			outs = append(outs, out)
		}
		c.Want = clean(strings.Join(outs, "\n"))
		got.Cases = append(got.Cases, c)
	}
	return got
}

// RunFile runs one scenario file as a test: every case whose output differs from
// the file fails, naming its line. With -rewrite (or ORRERY_REWRITE=1 in the
// environment) the file is rewritten instead.
func RunFile(t *testing.T, path string, o Options) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := Parse(string(raw))
	if err != nil {
		t.Fatalf("%s:%v", path, err)
	}
	got := Run(f, o)
	if rewriting() {
		if text := got.String(); text != string(raw) {
			if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("rewrote %s", path)
		}
		return
	}
	for i, c := range f.Cases {
		if g := got.Cases[i].Want; g != c.Want {
			t.Errorf("%s:%d: %s\n got:\n%s\nwant:\n%s", path, c.Line, strings.Join(c.Commands, "; "), indent(g), indent(c.Want))
		}
	}
}

// RunDir runs every *.txt file of a directory, each as a subtest named after it.
func RunDir(t *testing.T, dir string, o Options) {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) == 0 {
		t.Fatalf("no scenario files in %s", dir)
	}
	slices.Sort(paths)
	for _, p := range paths {
		t.Run(strings.TrimSuffix(filepath.Base(p), ".txt"), func(t *testing.T) { RunFile(t, p, o) })
	}
}

func indent(s string) string { return "    " + strings.ReplaceAll(s, "\n", "\n    ") }
