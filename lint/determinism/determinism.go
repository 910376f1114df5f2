package determinism

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"
)

// Analyzer reports nondeterministic constructs; see the package documentation.
var Analyzer = &analysis.Analyzer{
	Name:     "determinism",
	Doc:      "report wall-clock reads, global randomness, go and select statements, and unordered map iteration in simulated code",
	URL:      "https://pkg.go.dev/github.com/orrery-sim/orrery/lint/determinism",
	Requires: []*analysis.Analyzer{inspect.Analyzer},
	Run:      run,
}

// OrderedMark starts the comment that excuses a range over a map; the rest of the
// comment must say why the order does not matter.
const OrderedMark = "lint:ordered"

// wallClock are the time functions that read or wait on the wall clock.
var wallClock = map[string]bool{
	"Now": true, "Since": true, "Until": true, "Sleep": true, "After": true,
	"AfterFunc": true, "Tick": true, "NewTimer": true, "NewTicker": true,
}

// seededRand are math/rand and math/rand/v2 constructors: a generator built from
// an explicit seed is deterministic; the package-level functions are not.
var seededRand = map[string]bool{
	"New": true, "NewPCG": true, "NewSource": true, "NewChaCha8": true, "NewZipf": true,
}

// mapIterators are the maps functions whose iterators yield in map order.
var mapIterators = map[string]bool{"Keys": true, "Values": true, "All": true}

var nodeTypes = []ast.Node{
	(*ast.GoStmt)(nil), (*ast.SelectStmt)(nil), (*ast.RangeStmt)(nil), (*ast.Ident)(nil),
}

func run(pass *analysis.Pass) (any, error) {
	root := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector).Root()
	for file := range root.Children() {
		f := file.Node().(*ast.File)
		if strings.HasSuffix(pass.Fset.Position(f.FileStart).Filename, "_test.go") {
			continue
		}
		marks := orderedMarks(pass.Fset, f)
		for c := range file.Preorder(nodeTypes...) {
			switch n := c.Node().(type) {
			case *ast.GoStmt:
				pass.ReportRangef(n, "go statement: a simulation runs on one goroutine")
			case *ast.SelectStmt:
				pass.ReportRangef(n, "select statement: channel timing is nondeterministic")
			case *ast.RangeStmt:
				checkRange(pass, n, marks)
			case *ast.Ident:
				checkUse(pass, c, n)
			}
		}
	}
	return nil, nil
}

// mark is what a line's lint:ordered comment says.
type mark int

const (
	markNone     mark = iota
	markBare          // lint:ordered with no reason: does not excuse the loop
	markReasoned      // the strongest: checkRange takes the max of two lines
)

// orderedMarks maps the line on which each lint:ordered comment ends to its kind.
func orderedMarks(fset *token.FileSet, f *ast.File) map[int]mark {
	marks := map[int]mark{}
	for _, group := range f.Comments {
		for _, c := range group.List {
			text := strings.TrimSpace(strings.TrimPrefix(c.Text, "//"))
			rest, ok := strings.CutPrefix(text, OrderedMark)
			if !ok || (rest != "" && rest[0] != ' ' && rest[0] != '\t') {
				continue
			}
			m := markBare
			if strings.TrimSpace(rest) != "" {
				m = markReasoned
			}
			marks[fset.Position(c.End()).Line] = m
		}
	}
	return marks
}

func checkRange(pass *analysis.Pass, n *ast.RangeStmt, marks map[int]mark) {
	what := ""
	if isMap(pass.TypesInfo.TypeOf(n.X)) {
		what = "range over a map"
	} else if name := mapIterator(pass.TypesInfo, n.X); name != "" {
		what = "range over maps." + name
	} else {
		return
	}
	line := pass.Fset.Position(n.Pos()).Line
	switch max(marks[line], marks[line-1]) {
	case markReasoned:
		return
	case markBare:
		pass.ReportRangef(n, "%s: the // %s comment must say why the order does not matter", what, OrderedMark)
	default:
		pass.ReportRangef(n, "%s: iteration order is random (sort the keys, or mark the loop // %s <why>)", what, OrderedMark)
	}
}

// isMap reports whether t is a map, or a type parameter all of whose types are maps.
func isMap(t types.Type) bool {
	if t == nil {
		return false
	}
	tp, ok := t.(*types.TypeParam)
	if !ok {
		_, ok := t.Underlying().(*types.Map)
		return ok
	}
	iface, _ := tp.Constraint().Underlying().(*types.Interface)
	if iface == nil || iface.NumEmbeddeds() != 1 {
		return false
	}
	union, ok := iface.EmbeddedType(0).(*types.Union)
	if !ok {
		return isMap(iface.EmbeddedType(0))
	}
	for i := range union.Len() {
		if !isMap(union.Term(i).Type()) {
			return false
		}
	}
	return union.Len() > 0
}

// mapIterator returns "Keys", "Values" or "All" when x calls that function of the
// standard maps package, and "" otherwise.
func mapIterator(info *types.Info, x ast.Expr) string {
	call, ok := ast.Unparen(x).(*ast.CallExpr)
	if !ok {
		return ""
	}
	fn := typeutil.StaticCallee(info, call)
	if fn == nil || fn.Pkg() == nil || fn.Pkg().Path() != "maps" || !mapIterators[fn.Name()] {
		return ""
	}
	return fn.Name()
}

// checkUse reports a use of a package-level wall-clock or random-source object. It
// reports on the qualified name (time.Now) when there is one, so a dot-import is
// caught too.
func checkUse(pass *analysis.Pass, c inspector.Cursor, id *ast.Ident) {
	obj := pass.TypesInfo.Uses[id]
	if obj == nil || obj.Pkg() == nil {
		return
	}
	var node ast.Node = id
	if c.ParentEdgeKind() == edge.SelectorExpr_Sel {
		c = c.Parent()
		node = c.Node()
	}
	if fn, ok := obj.(*types.Func); ok && fn.FullName() == "(*sync.WaitGroup).Go" {
		pass.ReportRangef(node, "sync.WaitGroup.Go starts a goroutine: a simulation runs on one goroutine")
		return
	}
	if obj.Pkg().Scope().Lookup(obj.Name()) != obj {
		return // local, a method or a field: only package-level objects matter
	}
	_, isFunc := obj.(*types.Func)
	name, path := obj.Name(), obj.Pkg().Path()
	switch {
	case path == "time" && isFunc && wallClock[name]:
		pass.ReportRangef(node, "time.%s reads the wall clock: use virtual time (ctx.Now, ctx.SetTimer)", name)
	case (path == "math/rand" || path == "math/rand/v2") && isFunc && !seededRand[name]:
		pass.ReportRangef(node, "%s.%s uses the global random source: draw through the scheduler (ctx.Rand)", path, name)
	case path == "crypto/rand" && !(name == "Reader" && c.ParentEdgeKind() == edge.AssignStmt_Lhs):
		pass.ReportRangef(node, "crypto/rand.%s is nondeterministic: draw through the scheduler (ctx.Rand)", name)
	}
}
