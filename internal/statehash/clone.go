package statehash

import (
	"reflect"
	"unsafe"
)

// StateCloner is the fast path: a type that deep-copies itself. CloneState must
// return a value of the receiver's own type.
type StateCloner interface {
	CloneState() any
}

var stateClonerType = reflect.TypeFor[StateCloner]()

// Clone returns a deep copy of v: mutating anything reachable from the copy
// never changes v.
func Clone(v any) any {
	if v == nil {
		return nil
	}
	src := reflect.ValueOf(v)
	dst := reflect.New(src.Type()).Elem()
	c := cloner{pointers: map[pointerKey]reflect.Value{}}
	c.copy(dst, src)
	return dst.Interface()
}

// CloneOf is Clone for a statically typed value.
func CloneOf[T any](v T) T {
	c := Clone(v)
	if c == nil {
		var zero T
		return zero
	}
	return c.(T)
}

// pointerKey identifies a pointee: the address alone is ambiguous, since a
// struct and its first field share one.
type pointerKey struct {
	address uintptr
	typ     reflect.Type
}

// cloner copies one value; pointers maps each source pointer already copied to
// its copy, so aliasing and cycles survive.
type cloner struct {
	pointers map[pointerKey]reflect.Value
}

// writable returns a view of v that can be read with Interface and written with
// Set even when v was reached through an unexported field. v must be
// addressable; the checker copies nothing it could not reach by reflection.
func writable(v reflect.Value) reflect.Value {
	if v.CanSet() {
		return v
	}
	return reflect.NewAt(v.Type(), unsafe.Pointer(v.UnsafeAddr())).Elem()
}

// copy deep-copies src into dst. dst is addressable; src is readable (it never
// carries the read-only mark of an unexported field, see struct).
func (c *cloner) copy(dst, src reflect.Value) {
	dst = writable(dst)
	if implements(src.Type(), stateClonerType) && (src.Kind() != reflect.Pointer || !src.IsNil()) {
		dst.Set(reflect.ValueOf(src.Interface().(StateCloner).CloneState()))
		return
	}
	switch src.Kind() {
	case reflect.Array:
		for i := range src.Len() {
			c.copy(dst.Index(i), src.Index(i))
		}
	case reflect.Slice:
		if src.IsNil() {
			return
		}
		out := reflect.MakeSlice(src.Type(), src.Len(), src.Len())
		for i := range src.Len() {
			c.copy(out.Index(i), src.Index(i))
		}
		dst.Set(out)
	case reflect.Struct:
		c.copyStruct(dst, src)
	case reflect.Map:
		c.copyMap(dst, src)
	case reflect.Pointer:
		c.copyPointer(dst, src)
	case reflect.Interface:
		if src.IsNil() {
			return
		}
		elem := src.Elem()
		out := reflect.New(elem.Type()).Elem()
		c.copy(out, elem)
		dst.Set(out)
	default: // scalars, strings (immutable), funcs, channels, unsafe pointers
		dst.Set(src)
	}
}

// copyStruct reads unexported fields through writable views, which need an
// addressable struct: a struct that is not (a map value, an interface's
// dynamic value) is first copied whole into one that is.
func (c *cloner) copyStruct(dst, src reflect.Value) {
	if !src.CanAddr() {
		tmp := reflect.New(src.Type()).Elem()
		tmp.Set(src)
		src = tmp
	}
	for i := range src.NumField() {
		c.copy(dst.Field(i), writable(src.Field(i)))
	}
}

func (c *cloner) copyMap(dst, src reflect.Value) {
	if src.IsNil() {
		return
	}
	out := reflect.MakeMapWithSize(src.Type(), src.Len())
	entries := src.MapRange()
	for entries.Next() {
		key := reflect.New(src.Type().Key()).Elem()
		c.copy(key, entries.Key())
		value := reflect.New(src.Type().Elem()).Elem()
		c.copy(value, entries.Value())
		out.SetMapIndex(key, value)
	}
	dst.Set(out)
}

func (c *cloner) copyPointer(dst, src reflect.Value) {
	if src.IsNil() {
		return
	}
	key := pointerKey{uintptr(src.UnsafePointer()), src.Type()}
	if out, ok := c.pointers[key]; ok {
		dst.Set(out)
		return
	}
	out := reflect.New(src.Type().Elem())
	c.pointers[key] = out
	c.copy(out.Elem(), src.Elem())
	dst.Set(out)
}
