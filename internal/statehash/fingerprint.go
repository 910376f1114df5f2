package statehash

import "reflect"

// StateHasher is the fast path: a type that writes its own state into h. It
// must write equal streams for DeepEqual values.
type StateHasher interface {
	HashState(h *Hasher)
}

var stateHasherType = reflect.TypeFor[StateHasher]()

// Kind tags keep values of different shapes apart (nil from zero, a slice from
// its elements written flat).
const (
	tagNil uint64 = iota + 0x5a17
	tagPresent
	tagBackReference
	tagMap
)

// Fingerprint returns a 64-bit hash of v, equal for DeepEqual values.
func Fingerprint(v any) uint64 {
	var h Hasher
	Hash(&h, v)
	return h.Sum64()
}

// Hash writes v into h, for StateHasher implementations that embed values of
// types without a fast path.
func Hash(h *Hasher, v any) {
	if v == nil {
		h.WriteUint64(tagNil)
		return
	}
	w := walker{h: h}
	rv := reflect.ValueOf(v)
	h.WriteString(typeName(rv.Type()))
	w.hash(rv)
}

// walker hashes one value; path holds the pointers from the root to the
// current value, to detect cycles without depending on addresses.
type walker struct {
	h    *Hasher
	path []uintptr
}

func (w *walker) hash(v reflect.Value) {
	if v.CanInterface() && implements(v.Type(), stateHasherType) {
		if v.Kind() != reflect.Pointer && v.Kind() != reflect.Interface || !v.IsNil() {
			v.Interface().(StateHasher).HashState(w.h)
			return
		}
	}
	switch v.Kind() {
	case reflect.Bool:
		w.h.WriteBool(v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		w.h.WriteInt64(v.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		w.h.WriteUint64(v.Uint())
	case reflect.Float32, reflect.Float64:
		w.h.WriteFloat64(v.Float())
	case reflect.Complex64, reflect.Complex128:
		w.h.WriteFloat64(real(v.Complex()))
		w.h.WriteFloat64(imag(v.Complex()))
	case reflect.String:
		w.h.WriteString(v.String())
	case reflect.Array:
		w.sequence(v)
	case reflect.Slice:
		if w.nilness(v) {
			w.sequence(v)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			w.hash(v.Field(i))
		}
	case reflect.Map:
		if w.nilness(v) {
			w.hashMap(v)
		}
	case reflect.Pointer:
		if w.nilness(v) {
			w.pointer(v)
		}
	case reflect.Interface:
		if w.nilness(v) {
			w.h.WriteString(typeName(v.Elem().Type()))
			w.hash(v.Elem())
		}
	default: // Func, Chan, UnsafePointer: not state
		w.nilness(v)
	}
}

// nilness writes whether v is nil and reports whether it is not.
func (w *walker) nilness(v reflect.Value) bool {
	if v.IsNil() {
		w.h.WriteUint64(tagNil)
		return false
	}
	w.h.WriteUint64(tagPresent)
	return true
}

func (w *walker) sequence(v reflect.Value) {
	w.h.WriteUint64(uint64(v.Len()))
	if v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.Uint8 {
		w.h.WriteBytes(v.Bytes())
		return
	}
	for i := range v.Len() {
		w.hash(v.Index(i))
	}
}

// hashMap combines the entries by addition, which does not depend on the
// iteration order; each entry is hashed on its own, well mixed.
func (w *walker) hashMap(v reflect.Value) {
	var sum uint64
	entries := v.MapRange()
	for entries.Next() {
		entry := walker{h: &Hasher{}, path: w.path}
		entry.h.WriteUint64(tagMap)
		entry.hash(entries.Key())
		entry.hash(entries.Value())
		sum += entry.h.Sum64()
	}
	w.h.WriteUint64(uint64(v.Len()))
	w.h.WriteUint64(sum)
}

func (w *walker) pointer(v reflect.Value) {
	address := uintptr(v.UnsafePointer())
	for depth, p := range w.path {
		if p == address {
			w.h.WriteUint64(tagBackReference)
			w.h.WriteUint64(uint64(len(w.path) - depth))
			return
		}
	}
	w.path = append(w.path, address)
	w.hash(v.Elem())
	w.path = w.path[:len(w.path)-1]
}

// typeName identifies a dynamic type: a named type by its package path, so that
// two packages with the same name do not collide, and any other by its
// literal.
func typeName(t reflect.Type) string {
	if t.Name() != "" && t.PkgPath() != "" {
		return t.PkgPath() + "." + t.Name()
	}
	return t.String()
}
