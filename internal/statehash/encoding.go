package statehash

import (
	"bytes"
	"encoding/binary"
	"math"
	"reflect"
	"slices"
)

// AppendEncoding appends a canonical byte encoding of v to dst: two values
// have the same encoding exactly when they are DeepEqual, except that funcs,
// channels and unsafe pointers encode only whether they are nil and that every
// NaN encodes alike. It is the exact key a
// model checker's full-state mode stores, where Fingerprint is only a hash.
// Map entries are encoded one by one and sorted, so the encoding does not
// depend on iteration order.
func AppendEncoding(dst []byte, v any) []byte {
	if v == nil {
		return binary.AppendUvarint(dst, tagNil)
	}
	e := encoder{}
	rv := reflect.ValueOf(v)
	dst = appendString(dst, typeName(rv.Type()))
	return e.encode(dst, rv)
}

type encoder struct {
	path []uintptr
}

func appendString(dst []byte, s string) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(s)))
	return append(dst, s...)
}

func appendFloat(dst []byte, f float64) []byte {
	switch {
	case f == 0:
		f = 0
	case f != f:
		f = math.NaN()
	}
	return binary.LittleEndian.AppendUint64(dst, math.Float64bits(f))
}

func (e *encoder) encode(dst []byte, v reflect.Value) []byte {
	switch v.Kind() {
	case reflect.Bool:
		if v.Bool() {
			return append(dst, 1)
		}
		return append(dst, 0)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return binary.AppendVarint(dst, v.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return binary.AppendUvarint(dst, v.Uint())
	case reflect.Float32, reflect.Float64:
		return appendFloat(dst, v.Float())
	case reflect.Complex64, reflect.Complex128:
		return appendFloat(appendFloat(dst, real(v.Complex())), imag(v.Complex()))
	case reflect.String:
		return appendString(dst, v.String())
	case reflect.Array:
		return e.sequence(dst, v)
	case reflect.Struct:
		for i := range v.NumField() {
			dst = e.encode(dst, v.Field(i))
		}
		return dst
	}
	if v.IsNil() {
		return binary.AppendUvarint(dst, tagNil)
	}
	dst = binary.AppendUvarint(dst, tagPresent)
	switch v.Kind() {
	case reflect.Slice:
		return e.sequence(dst, v)
	case reflect.Map:
		return e.encodeMap(dst, v)
	case reflect.Pointer:
		return e.pointer(dst, v)
	case reflect.Interface:
		dst = appendString(dst, typeName(v.Elem().Type()))
		return e.encode(dst, v.Elem())
	}
	return dst // Func, Chan, UnsafePointer: only whether nil
}

func (e *encoder) sequence(dst []byte, v reflect.Value) []byte {
	dst = binary.AppendUvarint(dst, uint64(v.Len()))
	if v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.Uint8 {
		return append(dst, v.Bytes()...)
	}
	for i := range v.Len() {
		dst = e.encode(dst, v.Index(i))
	}
	return dst
}

// encodeMap encodes each entry on its own, length-prefixed, and appends them
// in sorted order.
func (e *encoder) encodeMap(dst []byte, v reflect.Value) []byte {
	entries := make([][]byte, 0, v.Len())
	iter := v.MapRange()
	for iter.Next() {
		entry := encoder{path: e.path}
		b := entry.encode(nil, iter.Key())
		b = entry.encode(b, iter.Value())
		entries = append(entries, b)
	}
	slices.SortFunc(entries, bytes.Compare)
	dst = binary.AppendUvarint(dst, uint64(len(entries)))
	for _, b := range entries {
		dst = binary.AppendUvarint(dst, uint64(len(b)))
		dst = append(dst, b...)
	}
	return dst
}

func (e *encoder) pointer(dst []byte, v reflect.Value) []byte {
	address := uintptr(v.UnsafePointer())
	for depth, p := range e.path {
		if p == address {
			dst = binary.AppendUvarint(dst, tagBackReference)
			return binary.AppendUvarint(dst, uint64(len(e.path)-depth))
		}
	}
	dst = binary.AppendUvarint(dst, tagPresent)
	e.path = append(e.path, address)
	dst = e.encode(dst, v.Elem())
	e.path = e.path[:len(e.path)-1]
	return dst
}
