// Package explorecli is the logic behind `simrun -explore`: it validates the
// options, looks the built-in model up by name (-model) or builds the model of a
// registered protocol's own agents (-protocol, explore/actors), runs package explore's checker
// with a timeout and progress on stderr, and prints a summary (or one JSON
// object) with the counterexample step by step. Its exit codes follow the
// simrun contract: 0 every property holds in a complete search, 1 a property
// is violated, 2 bad usage (reported in one line on stderr), 3 a limit (states,
// depth, memory) or the timeout stopped the search before a verdict, or (with -eventually) a fair
// lasso violates an Eventually property.
package explorecli
