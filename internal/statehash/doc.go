// Package statehash is the correct, generic fallback for cloning and
// fingerprinting agent state, for a model checker that must store states and
// restore them: Clone deep-copies any Go value and Fingerprint hashes it to 64
// bits, both by reflection, both reading and writing unexported struct fields
// (through unsafe views of addressable memory). Equal means reflect.DeepEqual:
// values that are DeepEqual have equal fingerprints, and the fingerprint of a
// value never depends on map iteration order or on pointer addresses. Pointers
// are followed; Clone preserves aliasing and cycles among pointers (not among
// slices that share a backing array), and Fingerprint hashes a pointer back to
// a value on the current path as a back-reference, so cycles terminate. Funcs,
// channels and unsafe pointers are not state: Clone copies them shallowly and
// Fingerprint hashes only whether they are nil. Types on the hot path should
// implement StateHasher (and StateCloner) with the Hasher's Write methods,
// which the generic walk calls instead of reflecting.
package statehash
