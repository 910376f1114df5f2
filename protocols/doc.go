// Package protocols is the registry of built-in protocols. Each protocol lives in
// its own package under protocols/ and registers a Protocol in its init function;
// protocols/all imports every one of them, so a binary that imports protocols/all
// (simrun does) can run any protocol by name.
package protocols
