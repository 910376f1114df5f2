package statehash

import (
	"reflect"
	"sync"
)

// implementsCache memoises reflect.Type.Implements for the two fast-path
// interfaces: the generic walk asks once per value it visits, and the answer
// depends on the type alone.
var implementsCache sync.Map // implementsKey → bool

type implementsKey struct {
	t, iface reflect.Type
}

func implements(t, iface reflect.Type) bool {
	k := implementsKey{t, iface}
	if v, ok := implementsCache.Load(k); ok {
		return v.(bool)
	}
	ok := t.Implements(iface)
	implementsCache.Store(k, ok)
	return ok
}
