package sim

import (
	"path"
	"strings"
)

// PanicSite names where a run's panic was raised, from its Stack: the
// function and its file:line, the file with its directory, such as
// "chain.(*node).Receive (chain/node.go:88)". Frames of the runtime (a
// runtime error's helpers) are passed over. It is "" for a run that did not
// panic or a stack it cannot read.
func (r *Result) PanicSite() string {
	lines := strings.Split(r.Stack, "\n")
	start := -1
	for i, l := range lines {
		if strings.HasPrefix(l, "panic(") {
			start = i + 2 // the panic's frame is a function line and a file line
			break
		}
	}
	if start < 0 {
		return ""
	}
	for i := start; i+1 < len(lines); i += 2 {
		fn, file := lines[i], strings.TrimSpace(lines[i+1])
		if !strings.HasPrefix(lines[i+1], "\t") || fn == "" {
			return ""
		}
		// Drop the arguments: the last "(" of a line that ends with ")".
		if strings.HasSuffix(fn, ")") {
			if k := strings.LastIndex(fn, "("); k > 0 {
				fn = fn[:k]
			}
		}
		fn = fn[strings.LastIndex(fn, "/")+1:] // path/to/pkg.F: pkg.F
		if strings.HasPrefix(fn, "runtime.") {
			continue
		}
		if k := strings.LastIndex(file, " +0x"); k >= 0 {
			file = file[:k]
		}
		dir, base := path.Split(file)
		if d := path.Base(strings.TrimSuffix(dir, "/")); d != "." && d != "/" && d != "" {
			base = d + "/" + base
		}
		return fn + " (" + base + ")"
	}
	return ""
}
