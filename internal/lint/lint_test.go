package lint

import (
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// simulationRoots are the directories whose code runs inside a simulation.
var simulationRoots = []string{"sim", "faults", "protocols", "scheduler", "quorum", "cluster", "checkers/raftsafety", "workload"}

func TestLintDeterminism(t *testing.T) {
	root := filepath.Join("..", "..")
	var roots []string
	for _, r := range simulationRoots {
		roots = append(roots, filepath.Join(root, r))
	}
	dirs, err := Dirs(roots...)
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	imp := NewImporter(fset)
	for _, dir := range dirs {
		findings, err := CheckDir(fset, imp, dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range findings {
			t.Errorf("%s", f)
		}
	}
}

// TestLintCatches feeds the lint a package that breaks every rule.
func TestLintCatches(t *testing.T) {
	dir := t.TempDir()
	src := `package bad

import (
	"math/rand"
	"time"
)

func Bad(m map[string]int, c chan int) int {
	go func() {}()
	select {
	case <-c:
	default:
	}
	for k := range m {
		_ = k
	}
	// lint:ordered only sums
	for _, v := range m {
		_ = v
	}
	time.Sleep(time.Now().Sub(time.Now()))
	r := rand.New(rand.NewSource(1))
	return rand.Intn(3) + r.Intn(2)
}
`
	if err := os.WriteFile(filepath.Join(dir, "bad.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	findings, err := CheckDir(fset, NewImporter(fset), dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range findings {
		got = append(got, strings.SplitN(f.What, ":", 2)[0])
	}
	want := []string{
		"go statement", "select statement", "range over a map",
		"time.Sleep reads the wall clock", "time.Now reads the wall clock", "time.Now reads the wall clock",
		"math/rand.Intn uses the global random source",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
