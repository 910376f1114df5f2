// Package statehash is the correct, generic fallback for cloning and
// fingerprinting agent state, for a model checker that must store states and
// restore them: Clone deep-copies any Go value, Fingerprint hashes it to 64
// bits and AppendEncoding appends the exact canonical byte key that full-state
// model checking stores, all by reflection, reading and writing unexported
// struct fields (through unsafe views of addressable memory). Equal means
// reflect.DeepEqual: DeepEqual values have equal fingerprints and encodings,
// and neither depends on map iteration order or on pointer addresses.
// Pointers are followed; Clone preserves aliasing and cycles among pointers
// (not among slices that share a backing array), and Fingerprint and
// AppendEncoding write a pointer back to a value on the current path as a
// back-reference, so cycles terminate. Funcs, channels and unsafe pointers are
// not state: Clone copies them shallowly and the others record only whether
// they are nil. Types on the hot path should implement StateHasher (and
// StateCloner) with the Hasher's Write methods, which the generic walk calls
// instead of reflecting.
package statehash
