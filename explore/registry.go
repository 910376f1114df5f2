package explore

import (
	"context"
	"slices"
	"sync"

	"github.com/orrery-sim/orrery/internal/assert"
)

// Params size a built-in model; each model documents which fields it reads and
// their defaults (used when a field is zero).
type Params struct {
	// Size is the model's main parameter: resource managers for twophase,
	// acceptors for paxos.
	Size int
	// Bug enables the model's planted bug, if it has one; BugName, when
	// set, names which, for a model with more than one.
	Bug     bool
	BugName string
}

// Builtin is a model registered by name, with its type parameters hidden behind
// Check so that a CLI can run any of them.
type Builtin struct {
	Name string
	// Doc is a one-line description for listings.
	Doc string
	// Symmetric reports whether the model supports Options.Symmetry.
	Symmetric bool
	// Check builds the model for p and checks it.
	Check func(ctx context.Context, p Params, o Options) (Result, error)
}

var registry = struct {
	sync.Mutex
	byName map[string]Builtin
}{byName: map[string]Builtin{}}

// Register adds a built-in model; model packages call it from init. Registering
// a name twice is a programmer error.
func Register(b Builtin) {
	registry.Lock()
	defer registry.Unlock()
	_, dup := registry.byName[b.Name]
	assert.That(!dup && b.Name != "" && b.Check != nil, "explore: bad or duplicate built-in model %q", b.Name)
	registry.byName[b.Name] = b
}

// Lookup finds a built-in model by name. Models register themselves when their
// package is linked in; import explore/models to link all of them.
func Lookup(name string) (Builtin, bool) {
	registry.Lock()
	defer registry.Unlock()
	b, ok := registry.byName[name]
	return b, ok
}

// Builtins lists the registered models sorted by name.
func Builtins() []Builtin {
	registry.Lock()
	defer registry.Unlock()
	list := make([]Builtin, 0, len(registry.byName))
	for _, b := range registry.byName {
		list = append(list, b)
	}
	slices.SortFunc(list, func(a, b Builtin) int {
		if a.Name < b.Name {
			return -1
		}
		if a.Name > b.Name {
			return 1
		}
		return 0
	})
	return list
}
