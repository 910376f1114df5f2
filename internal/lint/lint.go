package lint

import (
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Finding is one violation.
type Finding struct {
	Pos  token.Position
	What string
}

func (f Finding) String() string { return fmt.Sprintf("%s: %s", f.Pos, f.What) }

// forbiddenTime are the time functions that read or wait on the wall clock.
var forbiddenTime = map[string]bool{
	"Now": true, "Since": true, "Until": true, "Sleep": true, "After": true,
	"AfterFunc": true, "Tick": true, "NewTimer": true, "NewTicker": true,
}

// allowedRand are math/rand constructors: a generator built from an explicit
// seed is deterministic; the package-level functions are not.
var allowedRand = map[string]bool{
	"New": true, "NewPCG": true, "NewSource": true, "NewChaCha8": true, "NewZipf": true,
}

// CheckDir lints the non-test Go files of one package directory.
func CheckDir(fset *token.FileSet, imp types.Importer, dir string) ([]Finding, error) {
	pkgs, err := parser.ParseDir(fset, dir, func(fi os.FileInfo) bool {
		return !strings.HasSuffix(fi.Name(), "_test.go")
	}, parser.ParseComments)
	if err != nil {
		return nil, err
	}
	var out []Finding
	names := make([]string, 0, len(pkgs))
	for name := range pkgs { // lint:ordered sorted below
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		found, err := checkPackage(fset, imp, dir, pkgs[name])
		if err != nil {
			return nil, err
		}
		out = append(out, found...)
	}
	return out, nil
}

func checkPackage(fset *token.FileSet, imp types.Importer, dir string, pkg *ast.Package) ([]Finding, error) {
	var files []*ast.File
	fileNames := make([]string, 0, len(pkg.Files))
	for n := range pkg.Files { // lint:ordered sorted below
		fileNames = append(fileNames, n)
	}
	sort.Strings(fileNames)
	for _, n := range fileNames {
		files = append(files, pkg.Files[n])
	}
	info := &types.Info{Types: map[ast.Expr]types.TypeAndValue{}, Uses: map[*ast.Ident]types.Object{}}
	conf := types.Config{Importer: imp, Error: func(error) {}}
	if _, err := conf.Check(dir, fset, files, info); err != nil {
		return nil, fmt.Errorf("type-checking %s: %v", dir, err)
	}
	var out []Finding
	for _, f := range files {
		out = append(out, checkFile(fset, f, info)...)
	}
	return out, nil
}

func checkFile(fset *token.FileSet, f *ast.File, info *types.Info) []Finding {
	ordered := map[int]bool{} // lines preceded by a lint:ordered comment
	for _, cg := range f.Comments {
		for _, c := range cg.List {
			if strings.Contains(c.Text, "lint:ordered") {
				ordered[fset.Position(c.End()).Line] = true
			}
		}
	}
	var out []Finding
	report := func(n ast.Node, format string, args ...any) {
		out = append(out, Finding{Pos: fset.Position(n.Pos()), What: fmt.Sprintf(format, args...)})
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.GoStmt:
			report(n, "go statement: simulations run on one goroutine")
		case *ast.SelectStmt:
			report(n, "select statement: channel timing is nondeterministic")
		case *ast.SelectorExpr:
			checkSelector(n, info, report)
		case *ast.RangeStmt:
			line := fset.Position(n.Pos()).Line
			if t, ok := info.Types[n.X]; ok && isMap(t.Type) && !ordered[line] && !ordered[line-1] {
				report(n, "range over a map: iteration order is random (sort the keys, or mark the loop // lint:ordered <why>)")
			}
		}
		return true
	})
	return out
}

func checkSelector(n *ast.SelectorExpr, info *types.Info, report func(ast.Node, string, ...any)) {
	obj, ok := info.Uses[n.Sel]
	if !ok || obj.Pkg() == nil {
		return
	}
	if _, isFunc := obj.(*types.Func); !isFunc {
		return
	}
	if sig, _ := obj.Type().(*types.Signature); sig != nil && sig.Recv() != nil {
		return // a method, such as (*rand.Rand).Uint64 on an explicit generator
	}
	switch path := obj.Pkg().Path(); {
	case path == "time" && forbiddenTime[obj.Name()]:
		report(n, "time.%s reads the wall clock: use virtual time (sim.Context.Now, timers)", obj.Name())
	case (path == "math/rand" || path == "math/rand/v2") && !allowedRand[obj.Name()]:
		report(n, "%s.%s uses the global random source: draw through the scheduler", path, obj.Name())
	case path == "crypto/rand":
		report(n, "crypto/rand is nondeterministic: draw through the scheduler")
	}
}

func isMap(t types.Type) bool {
	_, ok := t.Underlying().(*types.Map)
	return ok
}

// Dirs lists every package directory under the given roots.
func Dirs(roots ...string) ([]string, error) {
	var dirs []string
	for _, root := range roots {
		err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) {
				return filepath.SkipDir
			}
			if !d.IsDir() && strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, "_test.go") {
				dir := filepath.Dir(path)
				if len(dirs) == 0 || dirs[len(dirs)-1] != dir {
					dirs = append(dirs, dir)
				}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return dirs, nil
}

// NewImporter returns an importer that type-checks dependencies from source, so
// the lint needs no compiled export data.
func NewImporter(fset *token.FileSet) types.Importer {
	return importer.ForCompiler(fset, "source", nil)
}
