package lint

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/orrery-sim/orrery/lint/determinism"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"
)

// simulationRoots are the directories whose code runs inside a simulation.
var simulationRoots = []string{"sim", "faults", "protocols", "scheduler", "checkers/raftsafety", "checkers/durable", "workload"}

// TestLintDeterminism runs the determinism analyzer over every package under the
// simulation roots (test files excluded) and requires zero findings.
func TestLintDeterminism(t *testing.T) {
	const module = "github.com/orrery-sim/orrery/"
	var patterns []string
	for _, root := range simulationRoots {
		patterns = append(patterns, "./"+root+"/...")
	}
	cfg := &packages.Config{Mode: packages.LoadSyntax, Dir: filepath.Join("..", "..")}
	pkgs, err := packages.Load(cfg, patterns...)
	if err != nil {
		t.Fatal(err)
	}
	if packages.PrintErrors(pkgs) > 0 {
		t.Fatal("the simulation packages do not load")
	}
	for _, root := range simulationRoots {
		if !anyUnder(pkgs, module+root) {
			t.Fatalf("no package loaded under %s/: the lint would check nothing there", root)
		}
	}
	graph, err := checker.Analyze([]*analysis.Analyzer{determinism.Analyzer}, pkgs, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, act := range graph.Roots {
		if act.Err != nil {
			t.Fatalf("%s: %v", act.Package.PkgPath, act.Err)
		}
		for _, d := range act.Diagnostics {
			t.Errorf("%s: %s", act.Package.Fset.Position(d.Pos), d.Message)
		}
	}
}

func anyUnder(pkgs []*packages.Package, prefix string) bool {
	for _, p := range pkgs {
		if p.PkgPath == prefix || strings.HasPrefix(p.PkgPath, prefix+"/") {
			return true
		}
	}
	return false
}
